// Shared by the /sweeps routes: fetch a sweep or answer 404, and its summary (status from the same counts it shows).
import { liveQueues, statusFromCounts, sweepStatusCounts, type Db, type Sweep, type StatusCounts } from '@ablate/db';
import { trialsQueueFor, type BackendRequirement } from '@ablate/spec';
import { ApiError } from '../../errors.js';

/** The sweep, if the project has it: another project's sweep is as absent as one that never existed. */
export async function loadSweep(db: Db, id: string, projectId: string): Promise<Sweep> {
  const sweep = await db.sweep.findFirst({ where: { id, projectId } });
  if (!sweep) throw new ApiError('SWEEP_ERR_NOT_FOUND', `no sweep '${id}'`);
  return sweep;
}

export function summarize(sweep: Sweep, counts: StatusCounts) {
  return {
    id: sweep.id,
    name: sweep.name,
    // Derived from the same counts it is shown with, so the two always agree.
    status: statusFromCounts(counts, { paused: sweep.paused, cancelled: sweep.status === 'cancelled' }),
    backend: sweep.backend,
    priority: sweep.priority,
    paused: sweep.paused,
    trialCount: sweep.trialCount,
    counts,
    createdAt: sweep.createdAt,
    finishedAt: sweep.finishedAt,
  };
}

export async function sweepDetail(db: Db, sweep: Sweep) {
  const counts = await sweepStatusCounts(db, sweep.id);
  const resolved = sweep.resolved as { axes: { key: string; labels: string[] }[]; seeds: number[] };
  // Queued trials that no live worker can take: say which kind of worker they wait for.
  let waitingFor: string | null = null;
  if (counts.queued > 0 && !sweep.paused && sweep.status !== 'cancelled') {
    const live = await liveQueues(db);
    const requirement = sweep.backend as BackendRequirement;
    if (!live.has(trialsQueueFor(requirement))) waitingFor = requirement === 'any' ? 'a worker' : `${requirement} worker`;
  }
  return { ...summarize(sweep, counts), axes: resolved.axes, seeds: resolved.seeds, waitingFor };
}
