// Linear warmup then cosine annealing, epoch-granular as the study's GradualWarmupScheduler + CosineAnnealingLR:
//   lr(e) = base·e/W for 1 ≤ e ≤ W;  lr(e) = min + (base-min)·(1+cos(π(e-W)/T))/2 after (T defaults to the epochs).
// Loshchilov & Hutter 2017 (SGDR, arXiv:1608.03983); warmup: Goyal et al. 2017 (arXiv:1706.02677).
import { registerSchedule } from './registry.js';

export function warmupCosineLr(epoch: number, base: number, warmup: number, minLr: number, tMax: number): number {
  if (epoch <= warmup) return (base * epoch) / warmup;
  return minLr + ((base - minLr) * (1 + Math.cos((Math.PI * (epoch - warmup)) / tMax))) / 2;
}

registerSchedule('warmup_cosine', (o, { baseLr, epochs }) => {
  const warmup = o.warmupEpochs as number;
  const minLr = o.minLr as number;
  const tMax = (o.tMax as number | undefined) ?? epochs;
  return { lr: (epoch) => warmupCosineLr(epoch, baseLr, warmup, minLr, tMax) };
});
