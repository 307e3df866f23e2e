// Builds every component of a run from a resolved TrialConfig through the registries: backend, data, model, optimizer,
// schedule, loss (with the training split's class counts), loaders. Shared by training and the LR range test.
// (Imports go through each family's index: importing a family is what registers its members.)
import type { TrialConfig } from '@ablate/spec';
import { initBackend } from '../backend/select.js';
import { createDataset, DataLoader, type ImageDataset } from '../data/index.js';
import { createLoss, type Loss } from '../losses/index.js';
import { createModel } from '../models/index.js';
import type { Module } from '../nn/module.js';
import { createOptimizer, type NamedParams, type Optimizer } from '../optim/index.js';
import { Rng } from '../rng.js';
import { createSchedule, type Schedule } from '../schedules/index.js';
import { createTta, type Tta } from '../tta/index.js';
import type { TrainOptions, TrainStart } from './types.js';

export interface Run {
  rng: Rng;
  ds: ImageDataset;
  model: Module;
  params: NamedParams;
  optimizer: Optimizer;
  schedule: Schedule;
  loss: Loss;
  tta: Tta;
  trainLoader: DataLoader;
  evalLoader: DataLoader;
  itersPerEpoch: number;
  start: TrainStart;
  /** The training order of epoch `epoch` (1-based): a function of the seed and the epoch only, so resumes repeat it. */
  epochOrder(epoch: number): Int32Array;
  close(): Promise<void>;
}

export function classCounts(labels: Int32Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const y of labels) counts[y]! += 1;
  return counts;
}

export async function setupRun(config: TrialConfig, opts: TrainOptions): Promise<Run> {
  const backend = await initBackend(opts.backend);
  const rng = new Rng(config.seed);
  const ds = await createDataset(config.dataset);
  const model = createModel(config.model, { numClasses: ds.classes, inputShape: [ds.height, ds.width, ds.channels], rng: rng.fork('init') });
  const params = model.namedParameters();
  const optimizer = createOptimizer(config.optimizer, params);
  const schedule = createSchedule(config.schedule, { baseLr: optimizer.lr, epochs: config.epochs });
  const loss = createLoss(config.loss, { classes: ds.classes, classCounts: classCounts(ds.train.labels, ds.classes) });
  const tta = createTta(config.tta, { fill: ds.mean.map((m, c) => -m / ds.std[c]!) });
  const trainLoader = new DataLoader(ds, ds.train, {
    batchSize: config.batchSize,
    ops: config.augmentation,
    seed: config.seed,
    workers: opts.loaderWorkers,
  });
  const evalLoader = new DataLoader(ds, ds.test, { batchSize: opts.evalBatchSize ?? 500, ops: [], seed: 0, workers: 0 });
  const itersPerEpoch = trainLoader.batches();
  return {
    rng,
    ds,
    model,
    params,
    optimizer,
    schedule,
    loss,
    tta,
    trainLoader,
    evalLoader,
    itersPerEpoch,
    start: {
      backend,
      parameterCount: model.parameterCount(),
      itersPerEpoch,
      trainSize: ds.train.size,
      testSize: ds.test.size,
      datasetFingerprint: ds.fingerprint ?? '',
      loaderWorkers: trainLoader.workerCount,
    },
    epochOrder: (epoch) => rng.fork(`order/epoch-${epoch}`).permutation(ds.train.size),
    async close() {
      await trainLoader.close();
      optimizer.dispose();
      model.dispose();
    },
  };
}
