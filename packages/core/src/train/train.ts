// The training loop: builds every component from a resolved TrialConfig through the registries, trains for the
// configured epochs and reports each epoch. The step shape is chosen by the optimizer's declared stepKind.
// (Imports go through each family's index: importing a family is what registers its members.)
import type { TrialConfig } from '@ablate/spec';
import type { BatchTensor } from '../augment/index.js';
import { initBackend } from '../backend/select.js';
import { createDataset, DataLoader } from '../data/index.js';
import { DivergedError, InterruptedError } from '../errors.js';
import { createLoss, mixedLoss, type Loss } from '../losses/index.js';
import { topkCorrect } from '../metrics/accuracy.js';
import { createModel } from '../models/index.js';
import type { Module } from '../nn/module.js';
import { createOptimizer, type Optimizer } from '../optim/index.js';
import { Rng } from '../rng.js';
import { createSchedule } from '../schedules/index.js';
import { tf, type NamedTensorMap, type Tensor } from '../tf.js';
import { evaluate } from './evaluate.js';
import type { EpochMetrics, FinalMetrics, TrainOptions, TrainResult } from './types.js';

export async function train(config: TrialConfig, opts: TrainOptions = {}): Promise<TrainResult> {
  const backend = await initBackend(opts.backend);
  const rng = new Rng(config.seed);
  const ds = await createDataset(config.dataset);
  const model = createModel(config.model, { numClasses: ds.classes, inputShape: [ds.height, ds.width, ds.channels], rng: rng.fork('init') });
  const params = model.namedParameters();
  const optimizer = createOptimizer(config.optimizer, params);
  const schedule = createSchedule(config.schedule, { baseLr: optimizer.lr, epochs: config.epochs });
  const loss = createLoss(config.loss);
  const trainLoader = new DataLoader(ds, ds.train, { batchSize: config.batchSize, ops: config.augmentation, seed: config.seed, workers: opts.loaderWorkers });
  const evalLoader = new DataLoader(ds, ds.test, { batchSize: opts.evalBatchSize ?? 500, ops: [], seed: 0, workers: 0 });
  const itersPerEpoch = trainLoader.batches();
  const start = {
    backend, parameterCount: model.parameterCount(), itersPerEpoch, trainSize: ds.train.size, testSize: ds.test.size,
    datasetFingerprint: ds.fingerprint ?? '', loaderWorkers: trainLoader.workerCount,
  };
  await opts.onStart?.(start);

  const history: EpochMetrics[] = [];
  const trainRates: number[] = [];
  const t0 = performance.now();
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const te = performance.now();
      model.train();
      const order = rng.fork(`order/epoch-${epoch}`).permutation(ds.train.size);
      const stats: Tensor[] = [];
      let lr = optimizer.lr;
      let iter = 0;
      for await (const b of trainLoader.epoch(epoch, order)) {
        if (opts.signal?.aborted) throw new InterruptedError(epoch - 1);
        lr = optimizer.lr = schedule.lr(epoch, iter, itersPerEpoch);
        stats.push(trainStep(model, optimizer, loss, params, b));
        iter++;
        if (iter % 8 === 0) await yieldToEventLoop();
      }
      const trainSeconds = (performance.now() - te) / 1000;
      const totals = tf.tidy(() => tf.sum(tf.stack(stats), 0));
      const [lossSum, correct] = await totals.data();
      tf.dispose([totals, ...stats]);
      if (!Number.isFinite(lossSum)) throw new DivergedError(epoch, iter, lossSum!);
      const ev = await evaluate(model, evalLoader, loss);
      const m: EpochMetrics = {
        epoch,
        trainLoss: lossSum! / ds.train.size,
        trainAcc: correct! / ds.train.size,
        testLoss: ev.loss,
        testTop1: ev.top1,
        testTop5: ev.top5,
        lr,
        seconds: (performance.now() - te) / 1000,
      };
      trainRates.push(ds.train.size / trainSeconds);
      history.push(m);
      await opts.onEpochEnd?.(m);
    }
  } finally {
    await trainLoader.close();
    optimizer.dispose();
    model.dispose();
  }
  return { final: summarize(history, trainRates, (performance.now() - t0) / 1000), epochs: history, start };
}

/** One optimisation step; returns [loss·n, correct] for the batch (λ-weighted for mixed batches), kept for the epoch's totals. */
function trainStep(model: Module, optimizer: Optimizer, loss: Loss, params: [string, tf.Variable][], b: BatchTensor): Tensor {
  return tf.tidy(() => {
    const x = tf.tensor4d(b.x, [b.size, b.height, b.width, b.channels]);
    const y = tf.tensor1d(b.y, 'int32');
    const y2 = b.mix ? tf.tensor1d(b.mix.y2, 'int32') : undefined;
    const lam = b.mix?.lam ?? 1;
    const objective = (logits: Tensor) => (y2 ? mixedLoss(loss, logits, y, y2, lam) : loss(logits, y));
    const passes = optimizer.entry.stepKind === 'two-pass' ? 2 : 1;
    let stats: Tensor | undefined;
    for (let pass = 0; pass < passes; pass++) {
      let logits!: Tensor;
      const { value, grads } = tf.variableGrads(() => {
        logits = tf.keep(model.forward(x));
        return objective(logits);
      }, params.map(([, v]) => v));
      // The reported loss and accuracy are the first pass's (as the study logs SAM's first-pass loss).
      stats ??= tf.stack([
        tf.mul(value, b.size),
        y2 ? tf.add(tf.mul(topkCorrect(logits, y, 1), lam), tf.mul(topkCorrect(logits, y2, 1), 1 - lam)) : topkCorrect(logits, y, 1),
      ]);
      logits.dispose();
      const named: NamedTensorMap = {};
      for (const [name, v] of params) named[name] = grads[v.name]!;
      optimizer.step(named);
    }
    return stats!;
  });
}

function summarize(history: EpochMetrics[], trainRates: number[], seconds: number): FinalMetrics {
  const last = history[history.length - 1]!;
  const best = history.reduce((a, b) => (b.testTop1 > a.testTop1 ? b : a));
  const trainIps = trainRates.reduce((a, b) => a + b, 0) / trainRates.length;
  return {
    testTop1: last.testTop1,
    testTop5: last.testTop5,
    testLoss: last.testLoss,
    trainLoss: last.trainLoss,
    trainAcc: last.trainAcc,
    bestTop1: best.testTop1,
    bestEpoch: best.epoch,
    epochs: history.length,
    seconds,
    trainImagesPerSecond: trainIps,
  };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
