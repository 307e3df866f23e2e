// StepLR as usually driven: scheduler.step() at the end of each epoch (epoch e trains at base·γ^⌊(e−1)/stepSize⌋), or after
// every batch with stepSize counted in batches (granularity "iteration": batch g of the run trains at base·γ^⌊g/stepSize⌋).
import { registerSchedule } from './registry.js';

registerSchedule('step', (o, { baseLr }) => {
  const stepSize = o.stepSize as number;
  const gamma = o.gamma as number;
  const perIteration = o.granularity === 'iteration';
  return {
    lr: (epoch, iter, iters) => baseLr * gamma ** Math.floor((perIteration ? (epoch - 1) * iters + iter : epoch - 1) / stepSize),
  };
});
