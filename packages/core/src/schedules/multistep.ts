// Step decay at fixed epochs as upstream weiaicunzai/pytorch-cifar100 runs it: MultiStepLR.step(epoch) at the start of every
// epoch after warmup, so lr(e) = base·γ^(number of milestones ≤ e); during the first `warmupEpochs` its WarmUpLR sets
// base·s/(W·I + 1e-8) per step s (0-based, the first step at lr 0). Granularity "iteration": the same loop with
// MultiStepLR.step(g) before every batch g (0-based over the run), milestones counted in batches.
import { registerSchedule } from './registry.js';

registerSchedule('multistep', (o, { baseLr }) => {
  const milestones = o.milestones as number[];
  const gamma = o.gamma as number;
  const W = o.warmupEpochs as number;
  const perIteration = o.granularity === 'iteration';
  return {
    lr(epoch, iter, iters) {
      const step = (epoch - 1) * iters + iter;
      if (epoch <= W) return (baseLr * step) / (W * iters + 1e-8);
      const at = perIteration ? step : epoch;
      return baseLr * gamma ** milestones.filter((m) => m <= at).length;
    },
  };
});
