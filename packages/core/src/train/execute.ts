// Runs a trial config by its kind: 'train' (train + evaluate) or 'lr_finder' (LR range test). The worker's entry point.
import type { TrialConfig } from '@ablate/spec';
import { lrFinder } from './lr-finder.js';
import { train } from './train.js';
import type { EpochMetrics, FinalMetrics, LrFinderResult, TrainOptions, TrainStart } from './types.js';

export interface ExecuteResult {
  kind: TrialConfig['kind'];
  final: FinalMetrics | LrFinderResult;
  epochs: EpochMetrics[];
  start: TrainStart;
}

export async function execute(config: TrialConfig, opts: TrainOptions = {}): Promise<ExecuteResult> {
  if (config.kind === 'lr_finder') {
    const r = await lrFinder(config, opts);
    return { kind: config.kind, final: r.final, epochs: [], start: r.start };
  }
  const r = await train(config, opts);
  return { kind: config.kind, ...r };
}
