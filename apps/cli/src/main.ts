// The ablate command line: submit sweeps, follow and steer them (pause, cancel, retry, extend, priority, delete), list
// workers, all over HTTP; or run the whole stack locally (`demo` throwaway, `up` kept), or workers for a deployment (`worker`).
import { Command, InvalidArgumentError, Option } from 'commander';
import { resolveApiKey } from './api-key.js';
import { AblateClient, CliError, type TableFormat } from './client.js';
import { demo } from './commands/demo.js';
import { DEFAULT_PORT, up } from './commands/up.js';
import { worker } from './commands/worker.js';
import { watchSweep } from './commands/watch.js';
import { deleteSweep } from './commands/sweep-delete.js';
import { extendSweep } from './commands/sweep-extend.js';
import { cancelSweep, pauseSweep, resumeSweep, retrySweep } from './commands/sweep-lifecycle.js';
import { setSweepPriority } from './commands/sweep-priority.js';
import { savePlot } from './commands/plot.js';
import { exitCodeOf, followSweep } from './commands/progress.js';
import { describeSubmit } from './commands/submit-summary.js';
import { showSweepStatus } from './commands/sweep-status.js';
import { readSpec } from './commands/sweeps.js';
import { listSweeps } from './commands/sweeps-list.js';
import { listTrials } from './commands/trials-list.js';
import { drainWorker, listWorkers } from './commands/workers.js';
import { asJson } from './text-table.js';

const program = new Command('ablate').description('Image-classification ablation studies as distributed sweeps');
const api = () => {
  const o = program.opts<{ api: string; apiKey?: string }>();
  return new AblateClient(o.api, resolveApiKey(o.apiKey));
};
program.option('--api <url>', 'API base URL', process.env.ABLATE_API_URL ?? 'http://127.0.0.1:3000');
program.option('--api-key <key>', 'API key (default: $ABLATE_API_KEY, else the one `npm start` wrote to .ablate/api-key)');

const integer = (v: string) => {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError('not a non-negative integer');
  return Number(v);
};
const collect = (v: string, all: string[] = []) => [...all, v];
const JSON_HELP = "print the API's answer as JSON";

program
  .command('submit <file>')
  .description('submit a sweep spec (JSON); --wait follows it live and prints its table')
  .option('--dry-run', 'validate and expand only: the rows, the grid shape, nothing stored')
  .option('--wait', 'follow the sweep (progress bar, running trials with their epoch, ETA), then print its table')
  .option('--timeout <seconds>', 'with --wait: stop waiting after this many seconds (exit code 4; the sweep goes on)', integer)
  .option('--json', JSON_HELP)
  // Repeating a submit with the same key returns the first sweep instead of creating another (default: a new UUID).
  .addOption(new Option('--idempotency-key <key>').hideHelp())
  .action(async (file: string, o: { dryRun?: boolean; wait?: boolean; timeout?: number; json?: boolean; idempotencyKey?: string }) => {
    const r = await api().submit((await readSpec(file)) as never, { dryRun: o.dryRun, idempotencyKey: o.idempotencyKey });
    process.stdout.write(o.json ? asJson(r) : describeSubmit(r, Boolean(o.dryRun)));
    if (o.wait && !o.dryRun) {
      const s = await followSweep(api(), r.id, { timeoutSeconds: o.timeout, out: o.json ? process.stderr : process.stdout });
      const t = await api().table(r.id, o.json ? 'json' : 'markdown');
      process.stdout.write(typeof t === 'string' ? `\n${t}` : asJson(t));
      process.exitCode = exitCodeOf(s);
    }
  });

program
  .command('sweeps')
  .alias('list')
  .description('list sweeps, newest first: status, trials done of total, failed, priority')
  .option('--status <status>', 'only sweeps in this status: queued | running | paused | done | failed | cancelled')
  .option('--name <text>', 'only sweeps whose name contains this (case-insensitive)')
  .option('--limit <n>', 'at most this many (1-100)', integer, 20)
  .option('--offset <n>', 'skip this many', integer)
  .option('--json', JSON_HELP)
  .action((o) => listSweeps(api(), o));

program
  .command('status <sweepId>')
  .description("a sweep's state and counts; --watch follows it live until every trial has ended (exit 3 if any failed)")
  .option('--watch', 'follow live: progress bar, running trials with their epoch, ETA')
  .option('--timeout <seconds>', 'with --watch: stop after this many seconds (exit code 4)', integer)
  .option('--json', JSON_HELP)
  .action((id: string, o: { watch?: boolean; timeout?: number; json?: boolean }) => showSweepStatus(api(), id, o));

program
  .command('trials <sweepId>')
  .description("a sweep's trials: labels, seed, status, attempts, epochs, test top-1, error code")
  .option('--status <status>', 'only trials in this status: queued | running | done | failed | cancelled')
  .option('--limit <n>', 'at most this many (1-1000)', integer, 100)
  .option('--offset <n>', 'skip this many', integer)
  .option('--json', JSON_HELP)
  .action((id: string, o) => listTrials(api(), id, o));

program
  .command('cancel <sweepId>')
  .description('cancel a sweep: queued trials are cancelled, running ones checkpoint and stop')
  .option('--json', JSON_HELP)
  .action((id: string, o) => cancelSweep(api(), id, o));

program
  .command('pause <sweepId>')
  .description('pause a sweep: no new trial starts, running ones finish')
  .option('--json', JSON_HELP)
  .action((id: string, o) => pauseSweep(api(), id, o));

program
  .command('resume <sweepId>')
  .description('resume a paused sweep')
  .option('--json', JSON_HELP)
  .action((id: string, o) => resumeSweep(api(), id, o));

program
  .command('retry <sweepId>')
  .description('queue the failed and cancelled trials of a sweep again (attempts reset; done trials are kept)')
  .option('--json', JSON_HELP)
  .action((id: string, o) => retrySweep(api(), id, o));

program
  .command('extend <sweepId>')
  .description('add seeds or axis values to a sweep; only the cells it lacks are added')
  .option('--seeds <list>', 'seeds to add, comma-separated (e.g. 3,4)')
  .option('--axis <key=value>', 'a value to append to an existing axis, parsed as JSON, else a string (repeatable)', collect)
  .option('--json', JSON_HELP)
  .action((id: string, o) => extendSweep(api(), id, o));

program
  .command('priority <sweepId> <n>')
  .description('set the priority of a sweep (-100..100, higher runs sooner)')
  .option('--json', JSON_HELP)
  .action((id: string, n: string, o) => setSweepPriority(api(), id, n, o));

program
  .command('delete <sweepId>')
  .description('delete a cancelled or finished sweep and the trials no other sweep shares (asks for --yes)')
  .option('--yes', 'really delete')
  .option('--json', JSON_HELP)
  .action((id: string, o) => deleteSweep(api(), id, o));

program
  .command('workers')
  .description('worker processes: state, backend/device, current trial, last heartbeat, trials done/failed')
  .option('--all', 'include stopped workers')
  .option('--json', JSON_HELP)
  .action((o) => listWorkers(api(), o));

program
  .command('drain <workerId>')
  .description('drain a worker: it finishes its current trial, then exits')
  .option('--json', JSON_HELP)
  .action((id: string, o) => drainWorker(api(), id, o));

program
  .command('table <sweepId>')
  .description('the ablation table of a sweep')
  .option('-f, --format <format>', 'markdown | csv | json | latex | html', 'markdown')
  .option(
    '-m, --metric <metric>',
    'final metric: testTop1, top1 (with TTA where used), bestTop1, ttaTop1, testTop5, testLoss, rocAucMacro, apMicro, suggestedLr, …',
    'testTop1',
  )
  .option('-b, --baseline <labels>', 'compare every row with this one (Δ and 95 % CI): axis=label;axis=label')
  .option('--cols <axes>', 'pivot: these axes (comma-separated) across')
  .option('--rows <axes>', 'pivot: these axes down (default: every other axis)')
  .option('--reduce <how>', 'final | best | lastK: how a trial becomes one value (best epoch, mean of the last --k epochs)')
  .option('--k <n>', 'epochs for --reduce lastK', (v) => Number.parseInt(v, 10))
  .option('--layout <layout>', "grid (default) | study: the rows and columns of the sweep's paper (its spec's table)")
  .option('--json', 'same as --format json')
  .action(
    async (
      id: string,
      o: {
        format: TableFormat;
        metric: string;
        baseline?: string;
        cols?: string;
        rows?: string;
        reduce?: 'final' | 'best' | 'lastK';
        k?: number;
        layout?: 'grid' | 'study';
        json?: boolean;
      },
    ) => {
      const format = o.json ? 'json' : o.format;
      if (!['markdown', 'csv', 'json', 'latex', 'html'].includes(format)) {
        throw new CliError(`--format must be markdown, csv, json, latex or html, got '${format}'`, 2);
      }
      if (o.layout && !['grid', 'study'].includes(o.layout)) throw new CliError(`--layout must be grid or study, got '${o.layout}'`, 2);
      const named = program.commands.find((c) => c.name() === 'table')!.getOptionValueSource('metric') === 'cli';
      const t = await api().table(id, format, named || o.layout !== 'study' ? o.metric : undefined, o.baseline, {
        cols: o.cols,
        rows: o.rows,
        reduce: o.reduce,
        k: o.k,
        layout: o.layout,
      });
      process.stdout.write(typeof t === 'string' ? t : `${JSON.stringify(t, null, 2)}\n`);
    },
  );

program
  .command('watch <sweepId>')
  .description('follow a sweep live: trials starting, epochs, results, progress with an ETA; exits when every trial has ended')
  .action(async (id: string) => {
    await watchSweep(api(), id, process.stdout);
  });

program
  .command('leaderboard')
  .description('configurations ranked across all sweeps by mean over seeds, with 95 % CI and n; ties flagged')
  .option('-m, --metric <metric>', 'final metric (see `table --help`)', 'testTop1')
  .option('--dataset <name>', 'only this dataset')
  .option('--model <name>', 'only this model')
  .option('--epochs <n>', 'only trials of this many epochs')
  .option('--where <filters>', 'any config field: path=value;path=value (e.g. optimizer.name=sgd)')
  .option('--limit <n>', 'rows per page', '20')
  .option('--offset <n>', 'skip this many rows', '0')
  .option('-f, --format <format>', 'markdown | csv | json', 'markdown')
  .option('--json', 'same as --format json')
  .action(async (o: Record<string, string | boolean>) => {
    const { format: f, json, ...q } = o as Record<string, string>;
    const format = json ? 'json' : f!;
    if (!['markdown', 'csv', 'json'].includes(format)) throw new CliError(`--format must be markdown, csv or json, got '${format}'`, 2);
    const r = await api().leaderboard(q, format as 'json' | 'markdown' | 'csv');
    process.stdout.write(typeof r === 'string' ? r : `${JSON.stringify(r, null, 2)}\n`);
  });

program
  .command('plot <id> <name>')
  .description('save a plot: of a trial (curves, lr, confusion, roc, pr, lr_finder) or of a sweep (bars, curves); SVG or PNG by -o')
  .requiredOption('-o, --output <file>', 'where to write it: a .svg or .png file')
  .option('-m, --metric <metric>', 'sweep plots: the final metric (see `table --help`)')
  .option('-b, --baseline <labels>', 'sweep bars: the row to mark as baseline, axis=label;axis=label')
  .action((id: string, name: string, o: { output: string; metric?: string; baseline?: string }) => savePlot(api(), id, name, o));

program
  .command('demo')
  .description('start Postgres, the API and workers locally, run a sweep, print its table')
  .option('-s, --sweep <file>', 'sweep spec to run', 'sweeps/demo.json')
  .option('-w, --workers <n>', 'worker processes (default: CPU cores, at most 4)', (v) => Number.parseInt(v, 10))
  .option('-m, --metric <metric>', 'final metric the table shows (see `table --help`)', 'testTop1')
  .option('--keep', 'keep the services running afterwards')
  .action((o: { sweep: string; workers?: number; keep?: boolean; metric: string }) => demo(o));

program
  .command('up')
  .description('run ablate on this machine, kept between runs: Postgres, the queue, the API with the dashboard, a worker per core')
  .option('--dir <path>', 'home folder: database, checkpoints, logs (default: $ABLATE_HOME or .ablate)')
  .option('-p, --port <n>', `the API's and dashboard's port on 127.0.0.1 (default: $PORT or ${DEFAULT_PORT}; taken: exits 1)`, integer)
  .option('-w, --workers <n>', 'worker processes (default: one per core)', integer)
  .action((o: { dir?: string; port?: number; workers?: number }) => up(o));

program
  .command('worker')
  .description('start workers on this machine for an existing deployment (DATABASE_URL, REDIS_URL or ABLATE_QUEUE=postgres)')
  .option('-c, --count <n>', 'CPU worker processes (default: one per core, none with --gpus)', integer)
  .option('--gpus <list>', 'one worker per listed GPU, e.g. 0,1')
  .option('--name <name>', 'name the workers <name>-cpu0, <name>-gpu0, … in `ablate workers` (default: the host name)')
  .action((o: { count?: number; gpus?: string; name?: string }) => worker(o));

try {
  await program.parseAsync();
} catch (err) {
  if (err instanceof CliError) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exit(err.exitCode);
  }
  throw err;
}
