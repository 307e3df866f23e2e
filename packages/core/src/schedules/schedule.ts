// The schedule contract: the lr of every step, a pure function of the epoch (1-based) and the step within it.
export interface Schedule {
  lr(epoch: number, iteration: number, itersPerEpoch: number): number;
}

export interface ScheduleContext {
  /** The optimizer's configured lr. */
  baseLr: number;
  /** Total epochs of the trial. */
  epochs: number;
}

export type ScheduleFactory = (options: Record<string, unknown>, ctx: ScheduleContext) => Schedule;
