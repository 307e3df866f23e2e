// `ablate status`: a sweep with its trial counts as JSON, and a note on stderr when its queued trials wait for a kind
// of worker that no live worker is (stdout stays parseable).
import type { AblateClient } from '../client.js';
import { asJson } from '../text-table.js';

export async function showSweepStatus(client: AblateClient, id: string): Promise<void> {
  const s = await client.sweep(id);
  process.stdout.write(asJson(s));
  if (s.waitingFor) process.stderr.write(`waiting for ${s.waitingFor}: no live worker can take this sweep's queued trials\n`);
}
