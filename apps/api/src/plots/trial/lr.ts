// Plot 'lr': the learning rate a trial trained with, per epoch (the lr of each epoch's last step, the finest trace
// the worker stores); for an LR range test, per step of its trace.
import { COLORS, config } from '../theme.js';
import type { TrialPlot } from '../types.js';
import { missing } from './data.js';

export const lrPlot: TrialPlot = {
  scope: 'trial',
  name: 'lr',
  description: "Learning rate per epoch (at each epoch's last step); for an LR range test, per step. Log scale when it spans a decade or more.",
  reads: ['epochs', 'lr_finder'],
  spec(d) {
    const perStep = !d.epochs.length && d.lrFinder?.points.length;
    const values = perStep ? d.lrFinder!.points.map((p) => ({ x: p.iteration, lr: p.lr })) : d.epochs.map((e) => ({ x: e.epoch, lr: e.lr }));
    if (!values.length) throw missing(d, 'lr', 'epoch metrics');
    const lrs = values.map((v) => v.lr);
    const min = Math.min(...lrs);
    const log = min > 0 && Math.max(...lrs) / min >= 10;
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config,
      title: {
        text: `Learning rate: ${d.label}`,
        subtitle: perStep
          ? 'per step of the LR range test'
          : `per epoch: the lr of the epoch's last step${d.schedule ? `; schedule ${d.schedule}` : ''}`,
      },
      width: 480,
      height: 240,
      data: { values },
      mark: { type: 'line', point: values.length <= 60, color: COLORS.train },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: perStep ? 'step' : 'epoch', axis: { tickMinStep: 1, format: 'd' } },
        y: {
          field: 'lr',
          type: 'quantitative',
          title: `learning rate${log ? ' (log scale)' : ''}`,
          scale: log ? { type: 'log' } : { zero: true },
          axis: { format: log ? '.0e' : '.2~g' },
        },
      },
    };
  },
};
