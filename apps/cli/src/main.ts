// The ablate command line: submit sweeps and read results over HTTP, or run the whole stack locally (`demo`).
import { Command } from 'commander';
import { AblateClient, CliError } from './client.js';
import { demo } from './commands/demo.js';
import { readSpec, waitForSweep } from './commands/sweeps.js';

const program = new Command('ablate').description('Image-classification ablation studies as distributed sweeps');
const api = () => new AblateClient(program.opts<{ api: string }>().api);
program.option('--api <url>', 'API base URL', process.env.ABLATE_API_URL ?? 'http://127.0.0.1:3000');

program
  .command('submit <file>')
  .description('submit a sweep spec (JSON)')
  .option('--dry-run', 'validate and expand only')
  .option('--wait', 'wait for every trial, then print the table')
  .action(async (file: string, o: { dryRun?: boolean; wait?: boolean }) => {
    const r = await api().submit((await readSpec(file)) as never, { dryRun: o.dryRun });
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    if (o.wait && !o.dryRun) {
      await waitForSweep(api(), r.id, process.stdout);
      process.stdout.write(await api().table(r.id, 'markdown'));
    }
  });

program
  .command('status <sweepId>')
  .description('status counts of a sweep')
  .action(async (id: string) => {
    process.stdout.write(`${JSON.stringify(await api().sweep(id), null, 2)}\n`);
  });

program
  .command('table <sweepId>')
  .description('the ablation table of a sweep')
  .option('-f, --format <format>', 'markdown | csv | json', 'markdown')
  .option(
    '-m, --metric <metric>',
    'final metric: testTop1, top1 (with TTA where used), bestTop1, ttaTop1, testTop5, testLoss, rocAucMacro, apMicro, suggestedLr, …',
    'testTop1',
  )
  .action(async (id: string, o: { format: 'markdown' | 'csv' | 'json'; metric: string }) => {
    if (!['markdown', 'csv', 'json'].includes(o.format)) throw new CliError(`--format must be markdown, csv or json, got '${o.format}'`);
    const t = await api().table(id, o.format, o.metric);
    process.stdout.write(typeof t === 'string' ? t : `${JSON.stringify(t, null, 2)}\n`);
  });

program
  .command('demo')
  .description('start Postgres, the API and workers locally, run a sweep, print its table')
  .option('-s, --sweep <file>', 'sweep spec to run', 'sweeps/demo.json')
  .option('-w, --workers <n>', 'worker processes (default: CPU cores, at most 4)', (v) => Number.parseInt(v, 10))
  .option('-m, --metric <metric>', 'final metric the table shows (see `table --help`)', 'testTop1')
  .option('--keep', 'keep the services running afterwards')
  .action((o: { sweep: string; workers?: number; keep?: boolean; metric: string }) => demo(o));

try {
  await program.parseAsync();
} catch (err) {
  if (err instanceof CliError) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exit(err.exitCode);
  }
  throw err;
}
