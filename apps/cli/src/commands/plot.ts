// `ablate plot ID NAME -o FILE`: saves one plot of a trial (curves, lr, confusion, roc, pr, lr_finder) or of a sweep
// (bars, curves) as SVG or PNG, chosen by the file's extension. A sweep id is a UUID; anything else is a trial id.
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { type AblateClient, CliError } from '../client.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PlotOptions {
  output: string;
  metric?: string;
  baseline?: string;
}

export async function savePlot(client: AblateClient, id: string, name: string, o: PlotOptions): Promise<void> {
  const ext = extname(o.output).slice(1).toLowerCase();
  if (ext !== 'svg' && ext !== 'png') throw new CliError(`-o must end in .svg or .png, got '${o.output}'`, 2);
  const scope = UUID.test(id) ? 'sweep' : 'trial';
  const q = scope === 'sweep' ? { metric: o.metric, baseline: o.baseline } : {};
  if (scope === 'trial' && (o.metric || o.baseline)) throw new CliError('--metric and --baseline apply to a sweep plot (bars, curves)', 2);
  const bytes = await client.plot(scope, id, name, ext, q);
  await writeFile(o.output, bytes);
  process.stderr.write(`wrote ${o.output} (${scope} ${id.slice(0, 8)} ${name}, ${bytes.length.toLocaleString('en-US')} bytes)\n`);
}
