// `ablate workers|drain`: the worker processes with their state, backend and current trial, and draining one (it
// finishes its current trial, takes no more, and exits).
import type { AblateClient, WorkerItem } from '../client.js';
import { ago, asJson, formatTable } from '../text-table.js';

export async function listWorkers(client: AblateClient, o: { all?: boolean; json?: boolean }): Promise<void> {
  const r = await client.workers({ all: o.all });
  process.stdout.write(o.json ? asJson(r) : renderWorkers(r.items));
}

export async function drainWorker(client: AblateClient, id: string, o: { json?: boolean }): Promise<void> {
  const r = await client.drainWorker(id);
  process.stdout.write(o.json ? asJson(r) : `worker ${r.id} drains: it finishes its current trial, takes no more, and exits\n`);
}

export function renderWorkers(items: readonly WorkerItem[], now = Date.now()): string {
  const rows = items.map((w) => [
    w.id,
    stateLabel(w),
    `${w.backend}/${w.device}`,
    w.trialId ?? '-',
    ago(w.lastSeen, now),
    `${w.trialsDone}/${w.trialsFailed}`,
  ]);
  return formatTable(['ID', 'STATE', 'BACKEND/DEVICE', 'TRIAL', 'LAST SEEN', { title: 'DONE/FAILED', right: true }], rows);
}

/** The state a worker reported, with a drain it has not acted on yet and a heartbeat that stopped coming. */
function stateLabel(w: WorkerItem): string {
  if (w.stoppedAt) return w.reason ? `stopped (${w.reason})` : 'stopped';
  const notes = [...(w.drain && w.state !== 'draining' ? ['drain requested'] : []), ...(w.live ? [] : ['no heartbeat'])];
  return notes.length ? `${w.state} (${notes.join(', ')})` : w.state;
}
