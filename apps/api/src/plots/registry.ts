// The plots: every trial and sweep plot, found by scope and name through plotFor (which suggests close names).
import { UnknownPlotError } from './errors.js';
import { barsPlot } from './sweep/bars.js';
import { sweepCurvesPlot } from './sweep/curves.js';
import { confusionPlot } from './trial/confusion.js';
import { curvesPlot } from './trial/curves.js';
import { lrPlot } from './trial/lr.js';
import { lrFinderPlot } from './trial/lr-finder.js';
import { prPlot } from './trial/pr.js';
import { rocPlot } from './trial/roc.js';
import type { Plot, PlotScope, SweepPlot, TrialPlot } from './types.js';

export const TRIAL_PLOTS: readonly TrialPlot[] = [curvesPlot, lrPlot, confusionPlot, rocPlot, prPlot, lrFinderPlot];
export const SWEEP_PLOTS: readonly SweepPlot[] = [barsPlot, sweepCurvesPlot];

const byScope = { trial: TRIAL_PLOTS, sweep: SWEEP_PLOTS } as const;

for (const [scope, plots] of Object.entries(byScope)) {
  const names = plots.map((p) => p.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`plot '${dup}' is registered twice for scope ${scope}`);
}

export function listPlots<S extends PlotScope>(scope: S): readonly (S extends 'trial' ? TrialPlot : SweepPlot)[] {
  return byScope[scope] as readonly (S extends 'trial' ? TrialPlot : SweepPlot)[];
}

/** The plot `name` of `scope`, or UnknownPlotError naming the closest ones ("did you mean"). */
export function plotFor(scope: 'trial', name: string): TrialPlot;
export function plotFor(scope: 'sweep', name: string): SweepPlot;
export function plotFor(scope: PlotScope, name: string): Plot {
  const plots: readonly Plot[] = byScope[scope];
  const plot = plots.find((p) => p.name === name);
  if (!plot)
    throw new UnknownPlotError(
      scope,
      name,
      plots.map((p) => p.name),
    );
  return plot;
}
