// `ablate cancel|pause|resume|retry`: one lifecycle transition of a sweep each, printed as one line (or the API's
// answer with --json).
import type { AblateClient } from '../client.js';
import { asJson } from '../text-table.js';

export interface OutputOptions {
  json?: boolean;
}

/** Queued trials are cancelled; running ones checkpoint and stop; trials another active sweep holds keep going. */
export async function cancelSweep(client: AblateClient, id: string, o: OutputOptions): Promise<void> {
  const r = await client.cancel(id);
  process.stdout.write(
    o.json
      ? asJson(r)
      : `sweep ${r.id} ${r.status}: ${r.cancelled} queued trials cancelled, ${r.stopping} running trials stopping at their next batch, ` +
          `${r.shared} kept for other active sweeps\n`,
  );
}

/** No new trial of the sweep starts; running ones finish. */
export async function pauseSweep(client: AblateClient, id: string, o: OutputOptions): Promise<void> {
  const r = await client.pause(id);
  process.stdout.write(o.json ? asJson(r) : `sweep ${r.id} paused: no new trial starts, running ones finish (status ${r.status})\n`);
}

export async function resumeSweep(client: AblateClient, id: string, o: OutputOptions): Promise<void> {
  const r = await client.resume(id);
  process.stdout.write(o.json ? asJson(r) : `sweep ${r.id} resumed (status ${r.status})\n`);
}

/** Failed and cancelled trials are queued again with their attempts reset; done ones are kept. */
export async function retrySweep(client: AblateClient, id: string, o: OutputOptions): Promise<void> {
  const r = await client.retry(id);
  process.stdout.write(o.json ? asJson(r) : `sweep ${r.id}: ${r.requeued} failed or cancelled trials queued again (status ${r.status})\n`);
}
