// Step decay at fixed epochs (torch.optim.lr_scheduler.MultiStepLR stepped with the epoch number, as upstream does):
// lr(e) = base·γ^(number of milestones ≤ e).
import { registerSchedule } from './registry.js';

registerSchedule('multistep', (o, { baseLr }) => {
  const milestones = o.milestones as number[];
  const gamma = o.gamma as number;
  return { lr: (epoch) => baseLr * gamma ** milestones.filter((m) => m <= epoch).length };
});
