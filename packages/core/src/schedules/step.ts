// StepLR as usually driven (scheduler.step() at the end of each epoch): epoch e trains at base·γ^⌊(e−1)/stepSize⌋.
import { registerSchedule } from './registry.js';

registerSchedule('step', (o, { baseLr }) => {
  const stepSize = o.stepSize as number;
  const gamma = o.gamma as number;
  return { lr: (epoch) => baseLr * gamma ** Math.floor((epoch - 1) / stepSize) };
});
