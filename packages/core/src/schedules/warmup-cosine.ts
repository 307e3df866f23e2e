// Linear warmup then cosine annealing at three granularities (seed-recipe §5):
//   'epoch':     lr(e) = base·e/W for 1 ≤ e ≤ W, else min + (base−min)·(1+cos(π(e−W)/T))/2, T defaulting to the epochs;
//   'study':     the study's exact trace (GradualWarmupScheduler + CosineAnnealingLR, scheduler.step(epoch) after every batch):
//                batch 0 of epoch e trains at lr(e−1) (lr(0) = 0 with warmup, base without), batch 1 of epoch W+1 at base;
//   'iteration': per step s, base·(s+1)/(W·I) during warmup, then cosine over T·I steps (T defaulting to epochs − W).
// Loshchilov & Hutter 2017 (SGDR, arXiv:1608.03983); warmup: Goyal et al. 2017 (arXiv:1706.02677).
import { registerSchedule } from './registry.js';

/** The closed form both epoch-granular modes evaluate. */
export function warmupCosineLr(epoch: number, base: number, warmup: number, minLr: number, tMax: number): number {
  if (epoch <= warmup) return (base * epoch) / warmup;
  return cosine(epoch - warmup, base, minLr, tMax);
}

const cosine = (t: number, base: number, minLr: number, T: number) => minLr + ((base - minLr) * (1 + Math.cos((Math.PI * t) / T))) / 2;

registerSchedule('warmup_cosine', (o, { baseLr, epochs }) => {
  const W = o.warmupEpochs as number;
  const minLr = o.minLr as number;
  const granularity = o.granularity as 'study' | 'epoch' | 'iteration';
  if (granularity === 'iteration') {
    const T = (o.tMax as number | undefined) ?? Math.max(1, epochs - W);
    return {
      lr(epoch, iter, iters) {
        const s = (epoch - 1) * iters + iter;
        return s < W * iters ? (baseLr * (s + 1)) / (W * iters) : cosine(s - W * iters, baseLr, minLr, T * iters);
      },
    };
  }
  const T = (o.tMax as number | undefined) ?? epochs;
  const byEpoch = (e: number) => (e === 0 ? (W > 0 ? 0 : baseLr) : warmupCosineLr(e, baseLr, W, minLr, T));
  if (granularity === 'epoch') return { lr: (epoch) => byEpoch(epoch) };
  return {
    lr(epoch, iter, iters) {
      // The warmup scheduler hands over to the cosine one a step late: the first step of epoch W+1 yields the cosine's
      // t=0, i.e. base (with one batch per epoch, that is all epoch W+1 gets).
      const handoff = (e: number, stepsTaken: number) => W > 0 && e === W + 1 && stepsTaken === 1;
      if (iter === 0) return handoff(epoch - 1, iters) ? baseLr : byEpoch(epoch - 1);
      return handoff(epoch, iter) ? baseLr : byEpoch(epoch);
    },
  };
});
