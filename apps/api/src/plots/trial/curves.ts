// Plot 'curves': a trial's loss and accuracy per epoch, train against test, side by side.
import { COLORS, config } from '../theme.js';
import type { TrialPlot } from '../types.js';
import { missing } from './data.js';

export const curvesPlot: TrialPlot = {
  scope: 'trial',
  name: 'curves',
  description: 'Train and test loss (left) and accuracy (right: train accuracy, test top-1) per epoch.',
  reads: ['epochs'],
  spec(d) {
    if (!d.epochs.length) throw missing(d, 'curves', 'epoch metrics');
    const values = d.epochs.flatMap((e) => [
      { epoch: e.epoch, panel: 'loss', split: 'train', value: e.trainLoss },
      { epoch: e.epoch, panel: 'loss', split: 'test', value: e.testLoss },
      { epoch: e.epoch, panel: 'accuracy', split: 'train', value: e.trainAcc },
      { epoch: e.epoch, panel: 'accuracy', split: 'test', value: e.testTop1 },
    ]);
    const last = d.epochs[d.epochs.length - 1]!;
    const panel = (name: 'loss' | 'accuracy') => ({
      name: `${name}_panel`,
      title: { text: name, fontSize: 12 },
      width: 320,
      height: 220,
      transform: [{ filter: `datum.panel === '${name}'` }],
      mark: { type: 'line' as const, point: true, clip: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
        y: {
          field: 'value',
          type: 'quantitative' as const,
          title: name === 'loss' ? 'loss' : 'accuracy (test: top-1)',
          scale: { zero: false },
          ...(name === 'accuracy' ? { axis: { format: '.0%' } } : {}),
        },
        color: { field: 'split', type: 'nominal' as const, title: null, scale: { domain: ['train', 'test'], range: [COLORS.train, COLORS.test] } },
      },
    });
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config,
      title: {
        text: `Training curves: ${d.label}`,
        subtitle: `${d.epochs.length} epoch${d.epochs.length === 1 ? '' : 's'}${d.status === 'done' ? '' : ` (${d.status})`}; last test top-1 ${(last.testTop1 * 100).toFixed(1)} %`,
      },
      data: { values },
      hconcat: [panel('loss'), panel('accuracy')],
      resolve: { scale: { color: 'shared' } },
    };
  },
};
