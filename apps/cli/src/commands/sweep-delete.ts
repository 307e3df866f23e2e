// `ablate delete`: remove a cancelled or finished sweep with the trials no other sweep shares (metrics, checkpoints,
// files); it asks for --yes because nothing brings them back.
import { type AblateClient, CliError } from '../client.js';
import { asJson } from '../text-table.js';

export async function deleteSweep(client: AblateClient, id: string, o: { yes?: boolean; json?: boolean }): Promise<void> {
  if (!o.yes) {
    throw new CliError(
      `delete removes sweep ${id} and the trials no other sweep shares, with their metrics and checkpoints, for good; add --yes to do it`,
      2,
    );
  }
  const r = await client.deleteSweep(id);
  process.stdout.write(o.json ? asJson(r) : `deleted sweep ${r.id} and ${r.deletedTrials} trials no other sweep shared\n`);
}
