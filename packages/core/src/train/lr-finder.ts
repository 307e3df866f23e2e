// The LR range test (Smith 2017, arXiv:1506.01186) as its own trial kind: the trial's model, optimizer, loss, data and
// augmentation, with lr_i = startLr·(endLr/startLr)^(i/N) for steps i = 1..N (the study's FindLR curve; it runs
// i = 1..N+1). The loss is smoothed by a bias-corrected EMA, s_i = a_i/(1−β^i) with a_i = β·a_{i−1} + (1−β)·loss_i; the
// run stops once s_i > divergeFactor·min(s) or the loss is not finite. Suggested lr (rule 'steepest'): the point of
// most negative d s / d log(lr) (central differences, one-sided at the ends) among the points left after dropping the
// first skipStart and the last skipEnd (all points if fewer would remain).
import { InvalidConfigError, type TrialConfig } from '@ablate/spec';
import { setupRun } from './setup.js';
import { trainStep } from './step.js';
import { yieldToEventLoop } from './train.js';
import type { LrFinderPoint, LrFinderRun, TrainOptions } from './types.js';
import { InterruptedError } from '../errors.js';

export const LR_FINDER_RULE = 'steepest descent of the EMA-smoothed loss w.r.t. log lr, ignoring the first skipStart and last skipEnd points';

export async function lrFinder(config: TrialConfig, opts: TrainOptions = {}): Promise<LrFinderRun> {
  if (config.kind !== 'lr_finder') throw new InvalidConfigError(`'${config.kind}' is not an LR range test`, 'kind');
  const o = config.lrFinder;
  const run = await setupRun(config, opts);
  const t0 = performance.now();
  try {
    await opts.onStart?.(run.start);
    const points: LrFinderPoint[] = [];
    let avg = 0;
    let best = Infinity;
    let diverged = false;
    let i = 0;
    run.model.train();
    outer: for (let epoch = 1; ; epoch++) {
      const order = run.epochOrder(epoch);
      for await (const b of run.trainLoader.epoch(epoch, order)) {
        if (i >= o.iterations) break outer;
        if (opts.signal?.aborted) throw new InterruptedError(0);
        i++;
        const lr = o.startLr * (o.endLr / o.startLr) ** (i / o.iterations);
        run.optimizer.lr = lr;
        const stat = trainStep(run.model, run.optimizer, run.loss, run.params, b);
        const loss = (await stat.data())[0]! / b.size;
        stat.dispose();
        avg = o.smoothing * avg + (1 - o.smoothing) * loss;
        const smoothed = avg / (1 - o.smoothing ** i);
        points.push({ iteration: i, lr, loss, smoothed });
        if (!Number.isFinite(smoothed) || smoothed > o.divergeFactor * best) {
          diverged = true;
          break outer;
        }
        best = Math.min(best, smoothed);
        if (i % 8 === 0) await yieldToEventLoop();
      }
    }
    const s = suggestLr(points, o.skipStart, o.skipEnd);
    const final = {
      suggestedLr: s.suggestedLr,
      minLossLr: s.minLossLr,
      minSmoothedLoss: s.minSmoothedLoss,
      iterations: points.length,
      diverged: diverged ? 1 : 0,
      seconds: (performance.now() - t0) / 1000,
    };
    await opts.onArtifact?.({ kind: 'lr_finder', data: { rule: LR_FINDER_RULE, options: o, ...final, points } });
    return { final, points, start: run.start };
  } finally {
    await run.close();
  }
}

/** The suggestion rule on finished points (exported for tests). */
export function suggestLr(
  points: LrFinderPoint[],
  skipStart: number,
  skipEnd: number,
): { suggestedLr: number; minLossLr: number; minSmoothedLoss: number } {
  const finite = points.filter((p) => Number.isFinite(p.smoothed));
  let range = finite.slice(skipStart, Math.max(skipStart, finite.length - skipEnd));
  if (range.length < 3) range = finite;
  if (!range.length) return { suggestedLr: NaN, minLossLr: NaN, minSmoothedLoss: NaN };
  const x = range.map((p) => Math.log10(p.lr));
  const y = range.map((p) => p.smoothed);
  const n = range.length;
  const grad = y.map((_, k) => {
    if (n === 1) return 0;
    if (k === 0) return (y[1]! - y[0]!) / (x[1]! - x[0]!);
    if (k === n - 1) return (y[n - 1]! - y[n - 2]!) / (x[n - 1]! - x[n - 2]!);
    return (y[k + 1]! - y[k - 1]!) / (x[k + 1]! - x[k - 1]!);
  });
  const steep = grad.indexOf(Math.min(...grad));
  const low = y.indexOf(Math.min(...y));
  return { suggestedLr: range[steep]!.lr, minLossLr: range[low]!.lr, minSmoothedLoss: y[low]! };
}
