// The 1cycle policy as torch.optim.lr_scheduler.OneCycleLR (1.13) stepped once per batch, with the optimizer's lr as max_lr
// and momentum left alone (cycle_momentum=False); granularity "epoch": total_steps = epochs, stepped after each epoch. Smith & Topin 2017, "Super-Convergence" (arXiv:1708.07120).
import { registerSchedule } from './registry.js';

const anneals = {
  cos: (start: number, end: number, pct: number) => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1),
  linear: (start: number, end: number, pct: number) => (end - start) * pct + start,
};

registerSchedule('one_cycle', (o, { baseLr, epochs }) => {
  const pctStart = o.pctStart as number;
  const anneal = anneals[o.anneal as keyof typeof anneals];
  const initial = baseLr / (o.divFactor as number);
  const min = initial / (o.finalDivFactor as number);
  const perEpoch = o.granularity === 'epoch';
  return {
    lr(epoch, iter, iters) {
      const total = perEpoch ? epochs : epochs * iters;
      const phases = o.threePhase
        ? [
            { end: pctStart * total - 1, from: initial, to: baseLr },
            { end: 2 * pctStart * total - 2, from: baseLr, to: initial },
            { end: total - 1, from: initial, to: min },
          ]
        : [
            { end: pctStart * total - 1, from: initial, to: baseLr },
            { end: total - 1, from: baseLr, to: min },
          ];
      const step = perEpoch ? epoch - 1 : (epoch - 1) * iters + iter;
      let start = 0;
      for (const [i, p] of phases.entries()) {
        if (step <= p.end || i === phases.length - 1) return anneal(p.from, p.to, (step - start) / (p.end - start));
        start = p.end;
      }
      throw new Error('unreachable');
    },
  };
});
