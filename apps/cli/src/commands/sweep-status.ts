// `ablate status ID`: a sweep's state in a few lines (or JSON with --json), and with --watch its live progress until
// every trial has ended. A note goes to stderr when its queued trials wait for a kind of worker no live worker is.
import type { AblateClient, SweepStatus } from '../client.js';
import { asJson } from '../text-table.js';
import { bar, exitCodeOf, followSweep } from './progress.js';

export interface StatusOptions {
  json?: boolean;
  watch?: boolean;
  timeout?: number;
}

export function describeStatus(s: SweepStatus): string {
  const c = s.counts;
  const lines = [
    `${s.name} (${s.id})`,
    `status ${s.status}${s.paused ? ' (paused)' : ''} · priority ${s.priority} · backend ${s.backend}`,
    `${bar(c.done, c.failed + c.cancelled, c.total)} ${c.done} done, ${c.running} running, ${c.queued} queued, ${c.failed} failed, ${c.cancelled} cancelled of ${c.total}`,
    `axes: ${s.axes.map((a) => `${a.key} (${a.labels.length})`).join(' × ') || 'none'} · seeds ${s.seeds.join(', ')}`,
  ];
  return `${lines.join('\n')}\n`;
}

export async function showSweepStatus(client: AblateClient, id: string, o: StatusOptions = {}): Promise<void> {
  let s = await client.sweep(id);
  if (s.waitingFor) process.stderr.write(`waiting for ${s.waitingFor}: no live worker can take this sweep's queued trials\n`);
  if (o.watch) {
    s = await followSweep(client, id, { timeoutSeconds: o.timeout, out: o.json ? process.stderr : process.stdout });
    process.exitCode = exitCodeOf(s);
  }
  process.stdout.write(o.json ? asJson(s) : describeStatus(s));
}
