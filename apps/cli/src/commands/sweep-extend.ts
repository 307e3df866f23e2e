// `ablate extend`: add seeds or values of existing axes to a sweep; only the cells it lacks are added, and only trials
// no sweep has yet are created and queued.
import { type AblateClient, CliError } from '../client.js';
import { asJson } from '../text-table.js';

export interface ExtendOptions {
  /** Comma-separated seeds, e.g. "3,4". */
  seeds?: string;
  /** `key=value` each; the value is parsed as JSON, else taken as a string. */
  axis?: string[];
  json?: boolean;
}

export async function extendSweep(client: AblateClient, id: string, o: ExtendOptions): Promise<void> {
  const seeds = o.seeds === undefined ? undefined : parseSeeds(o.seeds);
  const axes = o.axis?.length ? parseAxisValues(o.axis) : undefined;
  if (!seeds && !axes) throw new CliError('nothing to add: give --seeds 3,4 or --axis key=value (repeatable)', 2);
  const r = await client.extend(id, { seeds, axes });
  process.stdout.write(
    o.json
      ? asJson(r)
      : `sweep ${r.id} extended: ${r.added} cells added (${r.created} new trials, ${r.queued} queued now); ${r.trialCount} trials in all\n`,
  );
}

export function parseSeeds(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (!parts.every((s) => /^\d+$/.test(s))) throw new CliError(`--seeds takes non-negative integers separated by commas, e.g. 3,4; got '${text}'`, 2);
  return parts.map(Number);
}

/** Repeated `key=value` options grouped by axis, in the order given: `optimizer.lr=0.3` adds the number 0.3. */
export function parseAxisValues(options: readonly string[]): Record<string, unknown[]> {
  const axes: Record<string, unknown[]> = {};
  for (const opt of options) {
    const eq = opt.indexOf('=');
    if (eq <= 0) throw new CliError(`--axis takes key=value, e.g. --axis optimizer.lr=0.3; got '${opt}'`, 2);
    const key = opt.slice(0, eq);
    const raw = opt.slice(eq + 1);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    axes[key] = [...(axes[key] ?? []), value];
  }
  return axes;
}
