// The JSON the dashboard reads, as the API serializes it (dates are ISO strings). Mirrors the zod schemas in
// apps/api/src/schemas/ and the routes' return values; the browser test (tests/browser/dashboard.test.ts) renders
// every page from a real API, so a drift shows there.

export type TrialStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
export type SweepStatus = TrialStatus | 'paused';

export interface StatusCounts {
  queued: number;
  running: number;
  done: number;
  failed: number;
  cancelled: number;
  total: number;
}

/** GET /sweeps items (schemas/sweeps.ts SweepSummary). */
export interface SweepSummary {
  id: string;
  name: string;
  status: SweepStatus;
  backend: string;
  priority: number;
  paused: boolean;
  trialCount: number;
  counts: StatusCounts;
  createdAt: string;
  finishedAt: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** GET /sweeps/:id (SweepResponse). */
export interface SweepDetail extends SweepSummary {
  axes: { key: string; labels: string[] }[];
  seeds: number[];
  waitingFor: string | null;
}

/** GET /sweeps/:id/trials items (SweepTrialItem). */
export interface SweepTrial {
  id: string;
  index: number;
  labels: Record<string, string>;
  seed: number;
  status: TrialStatus;
  attempts: number;
  interruptions: number;
  epochsDone: number;
  epochs: number;
  testTop1: number | null;
  workerId: string | null;
  error: { code?: string; message?: string } | null;
  startedAt: string | null;
  finishedAt: string | null;
}

/** GET /sweeps/:id/table?format=json (tables/ablation-table.ts AblationTable plus title, percent, reduce). */
export interface AblationTable {
  sweepId: string;
  axes: string[];
  metric: string;
  title: string;
  percent: boolean;
  reduce: string;
  baseline?: Record<string, string>;
  rows: {
    labels: Record<string, string>;
    n: number;
    expected: number;
    mean: number | null;
    std: number | null;
    failed: number;
    seeds: number[];
    baseline?: true;
    delta?: { method: 'paired' | 'welch'; estimate: number; low: number; high: number; df: number; excludesZero: boolean } | null;
  }[];
}

/** The `progress` event of GET /sweeps/:id/events. */
export interface ProgressEvent {
  counts: StatusCounts;
  epochsLeft: number;
  meanEpochSeconds: number | null;
  etaSeconds: number | null;
}

export interface EpochRow {
  epoch: number;
  attempt: number;
  trainLoss: number;
  trainAcc: number;
  testLoss: number;
  testTop1: number;
  testTop5: number;
  lr: number;
  seconds: number;
}

/** GET /experiments/:id (schemas/experiments.ts ExperimentResponse). */
export interface Experiment {
  id: string;
  groupKey: string;
  status: TrialStatus;
  seed: number;
  config: Record<string, unknown>;
  attempts: number;
  workerId: string | null;
  backend: string | null;
  device: string | null;
  runtime: Record<string, unknown> | null;
  finalMetrics: Record<string, number> | null;
  error: ({ code?: string; message?: string } & Record<string, unknown>) | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  epochs: EpochRow[];
  sweeps: { sweepId: string; labels: Record<string, string> }[];
  artifacts: { id: string; kind: string; uri: string | null; createdAt: string }[];
}

/** GET /leaderboard?format=json (tables/leaderboard.ts LeaderboardEntry). */
export interface Leaderboard {
  metric: string;
  title: string;
  percent: boolean;
  total: number;
  limit: number;
  offset: number;
  items: {
    rank: number;
    groupKey: string;
    config: Record<string, unknown>;
    summary: string;
    n: number;
    seeds: number[];
    mean: number;
    std: number | null;
    ci: { low: number; high: number } | null;
    tiedWithAbove: boolean;
  }[];
}

/** GET /workers items (routes/workers/list.ts WorkerItem). */
export interface WorkerItem {
  id: string;
  name: string;
  host: string;
  pid: number;
  backend: string;
  device: string;
  queues: string[];
  versions: Record<string, unknown>;
  state: string;
  reason: string | null;
  trialId: string | null;
  drain: boolean;
  trialsDone: number;
  trialsFailed: number;
  startedAt: string;
  lastSeen: string;
  stoppedAt: string | null;
  live: boolean;
}
