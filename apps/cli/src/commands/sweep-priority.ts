// `ablate priority`: a sweep's priority (-100..100, higher runs sooner); its queued trials are delivered by it.
import { type AblateClient, CliError } from '../client.js';
import { asJson } from '../text-table.js';

export async function setSweepPriority(client: AblateClient, id: string, priority: string, o: { json?: boolean }): Promise<void> {
  if (!/^-?\d+$/.test(priority)) throw new CliError(`the priority is an integer from -100 to 100, got '${priority}'`, 2);
  const r = await client.setPriority(id, Number(priority));
  process.stdout.write(o.json ? asJson(r) : `sweep ${r.id} priority ${r.priority}\n`);
}
