// Step decay at fixed epochs as upstream weiaicunzai/pytorch-cifar100 runs it: MultiStepLR.step(epoch) at the start of every
// epoch after warmup, so lr(e) = base·γ^(number of milestones ≤ e); during the first `warmupEpochs` its WarmUpLR sets
// base·s/(W·I + 1e-8) per step s (0-based, the first step at lr 0).
import { registerSchedule } from './registry.js';

registerSchedule('multistep', (o, { baseLr }) => {
  const milestones = o.milestones as number[];
  const gamma = o.gamma as number;
  const W = o.warmupEpochs as number;
  return {
    lr(epoch, iter, iters) {
      if (epoch <= W) return (baseLr * ((epoch - 1) * iters + iter)) / (W * iters + 1e-8);
      return baseLr * gamma ** milestones.filter((m) => m <= epoch).length;
    },
  };
});
