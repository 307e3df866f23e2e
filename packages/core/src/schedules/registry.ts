// The schedule registry and factory: `createSchedule({name: 'warmup_cosine', warmupEpochs: 5}, {baseLr, epochs})`.
import { schedules, type CatalogEntry } from '@ablate/spec';
import { createRegistry } from '../registry.js';
import type { Schedule, ScheduleContext, ScheduleFactory } from './schedule.js';

export const scheduleRegistry = createRegistry<CatalogEntry, ScheduleFactory>(schedules);
export const registerSchedule = (name: string, f: ScheduleFactory) => scheduleRegistry.register(name, f);
export const listSchedules = (filter?: string) => scheduleRegistry.list(filter);

export function createSchedule(config: string | ({ name: string } & Record<string, unknown>), ctx: ScheduleContext): Schedule {
  const { factory, options } = scheduleRegistry.resolve(config);
  return factory(options, ctx);
}
