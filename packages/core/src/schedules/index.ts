// Learning-rate schedules: one per file; importing this index registers them all.
import './constant.js';
import './multistep.js';
import './one-cycle.js';
import './step.js';
import './warmup-cosine.js';

export * from './schedule.js';
export { createSchedule, listSchedules, registerSchedule, scheduleRegistry } from './registry.js';
export { warmupCosineLr } from './warmup-cosine.js';
