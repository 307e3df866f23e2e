// Shared by `ablate submit` (and its --wait) and the demo: read a sweep spec file, and wait for a sweep to finish.
import { readFile } from 'node:fs/promises';
import { type AblateClient, CliError, type SweepStatus } from '../client.js';

export async function readSpec(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read sweep file '${file}': ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`sweep file '${file}' is not valid JSON: ${(err as Error).message}`);
  }
}

/** Polls until every trial of the sweep has finished, printing one progress line per change. */
export async function waitForSweep(client: AblateClient, id: string, out: NodeJS.WritableStream, pollMs = 1000): Promise<SweepStatus> {
  const t0 = Date.now();
  let last = '';
  for (;;) {
    const s = await client.sweep(id);
    const c = s.counts;
    const line = `[${c.done + c.failed}/${c.total}] done ${c.done}, running ${c.running}, queued ${c.queued}, failed ${c.failed}`;
    if (line !== last) {
      out.write(`${line}  (${Math.round((Date.now() - t0) / 1000)}s)\n`);
      last = line;
    }
    if (c.queued === 0 && c.running === 0) return s;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
