// `npm run demo`: a real sweep end to end on one machine with embedded defaults: starts Postgres, the API and workers,
// submits sweeps/demo.json, shows progress, prints the ablation table with one line saying what it shows, and shuts
// everything down.
import { cpus } from 'node:os';
import { join } from 'node:path';
import { AblateClient } from '../client.js';
import { summarizeTable } from './demo-summary.js';
import { onStopSignals, startLocalStack } from './services.js';
import { readSpec, waitForSweep } from './sweeps.js';

export interface DemoOptions {
  sweep: string;
  workers?: number;
  keep?: boolean;
  /** Final metric the printed table shows (default testTop1). */
  metric?: string;
}

export async function demo(o: DemoOptions): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const t0 = Date.now();
  const spec = await readSpec(o.sweep);
  const workers = o.workers ?? Math.max(1, Math.min(4, cpus().length));
  const stack = await startLocalStack({ workers, logDir: join(process.cwd(), '.ablate', 'demo-logs'), say });
  onStopSignals(
    () => void stack.stop().then(() => process.exit(130)),
    () => {
      stack.force();
      process.exit(130);
    },
  );
  try {
    const client = new AblateClient(stack.apiUrl, stack.apiKey);
    const sub = await client.submit(spec as never);
    say(`submitted sweep ${sub.id} '${sub.name}': ${sub.trials} trials (${sub.created} new, ${sub.reused} reused)`);
    const status = await waitForSweep(client, sub.id, process.stdout);
    say(`\nsweep ${status.status} in ${Math.round((Date.now() - t0) / 1000)}s total\n`);
    say(await client.table(sub.id, 'markdown', o.metric));
    // The line is computed from the same table's numbers, fetched as JSON; it claims only what they show.
    say(summarizeTable(await client.table(sub.id, 'json', o.metric)));
    say(`per-trial detail: GET ${stack.apiUrl}/experiments/<trialId>; table as CSV: GET ${stack.apiUrl}/sweeps/${sub.id}/table?format=csv`);
    if (o.keep) {
      say(`\nservices stay up (--keep); press Ctrl-C to stop`);
      await new Promise(() => undefined);
    }
  } finally {
    if (!o.keep) await stack.stop();
  }
}
