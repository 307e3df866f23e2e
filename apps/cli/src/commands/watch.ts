// `ablate watch <sweepId>`: one line per trial event and per progress report from the sweep's event stream, until no
// trial is queued or running.
import type { AblateClient } from '../client.js';

const pct = (x: unknown) => (typeof x === 'number' ? `${(100 * x).toFixed(2)} %` : '—');

function duration(s: number): string {
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export async function watchSweep(client: AblateClient, id: string, out: NodeJS.WritableStream): Promise<void> {
  await client.events(id, (event, d) => {
    const trial = String(d.trialId ?? '').slice(0, 8);
    if (event === 'progress') {
      const c = d.counts as { queued: number; running: number; done: number; failed: number; cancelled: number; total: number };
      const eta = typeof d.etaSeconds === 'number' ? `, ETA ${duration(d.etaSeconds)}` : '';
      out.write(`progress: ${c.done}/${c.total} done, ${c.running} running, ${c.queued} queued, ${c.failed} failed${eta}\n`);
      return c.queued + c.running > 0;
    }
    if (event === 'epoch') out.write(`${trial} epoch ${d.epoch}: test top-1 ${pct(d.testTop1)} (${Number(d.seconds).toFixed(1)} s)\n`);
    else if (event === 'started') out.write(`${trial} started on ${d.workerId ?? '?'} (attempt ${d.attempt ?? 1})\n`);
    else if (event === 'finished') out.write(`${trial} done: test top-1 ${pct(d.testTop1)}\n`);
    else out.write(`${trial} ${event}${d.error ? ` (${d.error})` : ''}\n`);
    return true;
  });
}
