// The training loop: trains a resolved TrialConfig for its epochs, evaluates after each, reports every epoch, writes
// checkpoints (every K epochs, every N seconds at a batch boundary, the last one, and on interruption) and TensorBoard scalars, and
// finishes with the evaluation report (through the configured TTA). A run resumed from a checkpoint continues exactly:
// data order and augmentation are functions of (seed, epoch, batch), the schedule of (epoch, batch), and the rest —
// weights, BatchNorm statistics, optimizer slots, dropout streams, the unfinished epoch's per-batch totals — is saved.
import { configHash, InvalidConfigError, type TrialConfig } from '@ablate/spec';
import { CheckpointStore } from '../checkpoint/store.js';
import { captureState, restoreState } from '../checkpoint/state.js';
import { DivergedError, InterruptedError } from '../errors.js';
import { evaluationReport, thinCurve, type EvaluationReport } from '../metrics/report.js';
import { TensorBoardWriter } from '../tensorboard/event-writer.js';
import { tf, type Tensor } from '../tf.js';
import { evaluate, type EvalResult } from './evaluate.js';
import { setupRun } from './setup.js';
import { trainStep } from './step.js';
import type { EpochMetrics, FinalMetrics, TrainOptions, TrainResult } from './types.js';

/** Where a run stands, as a checkpoint records it. */
interface Progress {
  history: EpochMetrics[];
  trainRates: number[];
  elapsedSeconds: number;
  epochsDone: number;
  batchesDone: number;
  /** The unfinished epoch: each trained batch's [loss·n, correct], its training seconds so far, its last lr. */
  partial?: { batchStats: number[]; trainSeconds: number; lr: number };
}

export async function train(config: TrialConfig, opts: TrainOptions = {}): Promise<TrainResult> {
  if (config.kind !== 'train') throw new InvalidConfigError(`'${config.kind}' is not a training run (see execute())`, 'kind');
  const run = await setupRun(config, opts);
  const { model, optimizer, schedule, loss, params, ds, itersPerEpoch } = run;
  const hash = configHash(config);
  const store = opts.checkpoint && new CheckpointStore(opts.checkpoint.dir, opts.checkpoint.keep);
  const every = opts.checkpoint?.everyEpochs ?? 0;
  const tb = opts.tensorboardDir ? new TensorBoardWriter(opts.tensorboardDir) : undefined;
  try {
    const progress: Progress = { history: [], trainRates: [], elapsedSeconds: 0, epochsDone: 0, batchesDone: 0 };
    const start = { ...run.start };
    if (store && opts.checkpoint!.resume) {
      const ck = await store.latest(hash);
      if (ck) {
        restoreState(model, optimizer, { tensors: ck.tensors, optimizer: ck.header.optimizer, rngs: ck.header.rngs });
        const { history, trainRates, elapsedSeconds, epochsDone, batchesDone, partial } = ck.header as unknown as Progress;
        Object.assign(progress, { history, trainRates, elapsedSeconds, epochsDone, batchesDone, partial });
        start.resumedFrom = { epochsDone, batchesDone, path: ck.path, history: [...history] };
      }
    }
    await opts.onStart?.(start);
    if (tb) await opts.onArtifact?.({ kind: 'tensorboard', uri: tb.dir });

    const everyMs = (opts.checkpoint?.everySeconds ?? 0) * 1000;
    let lastSave = performance.now();
    const save = async (p: Progress, reason: 'epochs' | 'time' | 'final' | 'interrupted') => {
      const state = await captureState(model, optimizer);
      const header = {
        format: 'ablate-checkpoint' as const,
        version: 1,
        configHash: hash,
        config,
        ...p,
        optimizer: state.optimizer,
        rngs: state.rngs,
        backend: start.backend.name,
        createdAt: new Date().toISOString(),
      };
      const path = await store!.save(header as never, state.tensors);
      lastSave = performance.now();
      await opts.onCheckpoint?.({ path, epochsDone: p.epochsDone, batchesDone: p.batchesDone, reason });
      return path;
    };
    /** The state of the unfinished epoch at a batch boundary, as a mid-epoch checkpoint records it. */
    const midEpoch = async (epoch: number, iter: number, stats: Tensor[], priorSeconds: number, te: number, lr: number): Promise<Progress> => {
      const joined = tf.tidy(() => (stats.length ? tf.concat(stats) : tf.zeros([0])));
      const batchStats = Array.from(await joined.data());
      joined.dispose();
      return {
        ...progress,
        elapsedSeconds: elapsed(),
        epochsDone: epoch - 1,
        batchesDone: iter,
        partial: { batchStats, trainSeconds: priorSeconds + (performance.now() - te) / 1000, lr },
      };
    };
    const t0 = performance.now() - progress.elapsedSeconds * 1000;
    const elapsed = () => (performance.now() - t0) / 1000;
    let lastEval: EvalResult | undefined;
    const withTta = config.tta.name !== 'none';

    for (let epoch = progress.epochsDone + 1; epoch <= config.epochs; epoch++) {
      const resuming = epoch === progress.epochsDone + 1 && progress.partial;
      const from = resuming ? progress.batchesDone : 0;
      const stats: Tensor[] = [];
      for (let i = 0; resuming && i < progress.partial!.batchStats.length; i += 2)
        stats.push(tf.tensor1d(progress.partial!.batchStats.slice(i, i + 2)));
      const priorSeconds = resuming ? progress.partial!.trainSeconds : 0;
      let lr = resuming ? progress.partial!.lr : optimizer.lr;
      const te = performance.now();
      model.train();
      const order = run.epochOrder(epoch);
      let iter = from;
      try {
        for await (const b of run.trainLoader.epoch(epoch, order, from)) {
          if (opts.signal?.aborted) {
            if (store) await save(await midEpoch(epoch, iter, stats, priorSeconds, te, lr), 'interrupted');
            throw new InterruptedError(epoch - 1);
          }
          if (store && everyMs > 0 && iter > from && performance.now() - lastSave >= everyMs) {
            await save(await midEpoch(epoch, iter, stats, priorSeconds, te, lr), 'time');
          }
          lr = optimizer.lr = schedule.lr(epoch, iter, itersPerEpoch);
          stats.push(trainStep(model, optimizer, loss, params, b));
          iter++;
          await opts.onBatchEnd?.(epoch, iter);
          if (iter % 8 === 0) await yieldToEventLoop();
        }
      } catch (err) {
        tf.dispose(stats);
        throw err;
      }
      const trainSeconds = priorSeconds + (performance.now() - te) / 1000;
      const totals = tf.tidy(() => tf.sum(tf.stack(stats), 0));
      const [lossSum, correct] = await totals.data();
      tf.dispose([totals, ...stats]);
      if (!Number.isFinite(lossSum)) throw new DivergedError(epoch, iter, lossSum!);
      const last = epoch === config.epochs;
      // Without a TTA the final report reuses the last epoch's scores.
      const ev = await evaluate(model, run.evalLoader, loss, { collect: last && !withTta });
      if (last) lastEval = ev;
      const m: EpochMetrics = {
        epoch,
        trainLoss: lossSum! / ds.train.size,
        trainAcc: correct! / ds.train.size,
        testLoss: ev.loss,
        testTop1: ev.top1,
        testTop5: ev.top5,
        lr,
        seconds: priorSeconds + (performance.now() - te) / 1000,
      };
      progress.history.push(m);
      progress.trainRates.push(ds.train.size / trainSeconds);
      progress.epochsDone = epoch;
      progress.batchesDone = 0;
      progress.partial = undefined;
      await tb?.scalars(epoch, {
        'loss/train': m.trainLoss,
        'loss/test': m.testLoss,
        'accuracy/train': m.trainAcc,
        'accuracy/test_top1': m.testTop1,
        'accuracy/test_top5': m.testTop5,
        lr: m.lr,
      });
      await opts.onEpochEnd?.(m);
      if (store && (last || (every > 0 && epoch % every === 0) || (everyMs > 0 && performance.now() - lastSave >= everyMs))) {
        await save({ ...progress, elapsedSeconds: elapsed() }, last ? 'final' : every > 0 && epoch % every === 0 ? 'epochs' : 'time');
      }
    }

    // The final evaluation: through the TTA if any, else the last epoch's scores (recomputed when resumed past it).
    const viaTta = withTta ? await evaluate(model, run.evalLoader, loss, { tta: run.tta, collect: true }) : undefined;
    const scored = viaTta ?? lastEval ?? (await evaluate(model, run.evalLoader, loss, { collect: true }));
    const report = evaluationReport(scored.scores!, scored.labels!, ds.classes);
    await emitReport(report, config, opts);
    const final = summarize(progress, elapsed(), report, viaTta, start.resumedFrom?.epochsDone ?? 0);
    return { final, epochs: progress.history, start };
  } finally {
    await run.close();
  }
}

async function emitReport(r: EvaluationReport, config: TrialConfig, opts: TrainOptions): Promise<void> {
  const { curves, ...numbers } = r;
  await opts.onArtifact?.({ kind: 'evaluation', data: { ...numbers, tta: config.tta, scores: 'softmax' } });
  await opts.onArtifact?.({
    kind: 'curves',
    data: {
      note: 'curves thinned for storage (areas computed on the full curves)',
      roc: curves.roc.map((c) => c && thinCurve(c, 200)),
      rocMicro: thinCurve(curves.rocMicro),
      rocMacro: { ...thinCurve(curves.rocMacro), auc: curves.rocMacro.auc },
      prMicro: thinCurve(curves.prMicro),
    },
  });
}

function summarize(p: Progress, seconds: number, r: EvaluationReport, tta: EvalResult | undefined, resumedFromEpoch: number): FinalMetrics {
  const last = p.history[p.history.length - 1]!;
  const best = p.history.reduce((a, b) => (b.testTop1 > a.testTop1 ? b : a));
  const optional = (v: number | null) => (v === null || !Number.isFinite(v) ? undefined : v);
  const final: FinalMetrics = {
    testTop1: last.testTop1,
    testTop5: last.testTop5,
    testLoss: last.testLoss,
    trainLoss: last.trainLoss,
    trainAcc: last.trainAcc,
    bestTop1: best.testTop1,
    bestEpoch: best.epoch,
    epochs: p.history.length,
    seconds,
    trainImagesPerSecond: p.trainRates.reduce((a, b) => a + b, 0) / p.trainRates.length,
    ttaTop1: tta?.top1,
    ttaTop5: tta?.top5,
    ttaLoss: tta?.loss,
    rocAucMacro: optional(r.rocAucMacro),
    rocAucMicro: optional(r.rocAucMicro),
    apMacro: optional(r.apMacro),
    apMicro: optional(r.apMicro),
    resumedFromEpoch,
  };
  for (const k of Object.keys(final) as (keyof FinalMetrics)[]) if (final[k] === undefined) delete final[k];
  return final;
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
