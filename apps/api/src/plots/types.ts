// What a plot is: a registry entry with its capabilities (scope, the data it reads, a description) and a pure
// function from that data to a vega-lite spec. Trial plots share one loader; each sweep plot brings its own.
import type { Db } from '@ablate/db';
import type { TopLevelSpec } from 'vega-lite';
import type { z } from 'zod';
import type { TrialPlotData, TrialSource } from './trial/data.js';

export type PlotScope = 'trial' | 'sweep';
export type { TopLevelSpec };

export interface TrialPlot {
  scope: 'trial';
  name: string;
  description: string;
  /** Epoch rows and artifact kinds it draws from; the route loads these and nothing else. */
  reads: readonly TrialSource[];
  spec(data: TrialPlotData): TopLevelSpec;
}

export interface SweepInfo {
  id: string;
  name: string;
  /** Axis keys in the sweep's order. */
  axes: string[];
}

/** 'table': the ablation table (as GET /sweeps/:id/table builds it); 'epochs': the epoch rows of its trials. */
export type SweepSource = 'table' | 'epochs';

export interface SweepPlot<Q = unknown, D = unknown> {
  scope: 'sweep';
  name: string;
  description: string;
  reads: readonly SweepSource[];
  /** Its query parameters (documented in the OpenAPI document). */
  query: z.ZodType<Q>;
  load(db: Db, sweep: SweepInfo, query: Q): Promise<D>;
  spec(data: D, query: Q): TopLevelSpec;
}

export type Plot = TrialPlot | SweepPlot;

/** Keeps a sweep plot's query and data types checked inside its file while the registry holds them side by side. */
export function defineSweepPlot<Q, D>(p: SweepPlot<Q, D>): SweepPlot {
  return p as unknown as SweepPlot;
}
