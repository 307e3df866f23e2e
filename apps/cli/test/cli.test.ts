// The ablate CLI run as a child process (`node --import tsx apps/cli/src/main.ts --api <url> …`) against the real API on
// the test database, no worker: sweeps are submitted through the CLI, workers are rows written straight to Postgres.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, useTestApp } from '../../../tests/helpers/index.js';

const testbed = useTestApp();
let url = '';
let dir = '';
let sweepId = '';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI against `api` (default: the test API) and collects its output; never throws on a non-zero exit. */
function cli(args: string[], api = url): Promise<Run> {
  return new Promise((resolve, reject) => {
    const { ABLATE_API_URL: _, ...rest } = process.env;
    const env = { ...rest, ABLATE_API_KEY: testbed.key };
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/cli/src/main.ts'), '--api', api, ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the CLI, expects exit 0, and parses its stdout as JSON. */
async function cliJson<T = Record<string, unknown>>(args: string[], api = url): Promise<T> {
  const r = await cli(args, api);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

function specFile(name: string, spec: unknown): Promise<string> {
  const file = join(dir, `${name}.json`);
  return writeFile(file, JSON.stringify(spec)).then(() => file);
}

const spec = (name: string, lrs: number[], seeds = [0]) => ({
  name,
  base: { dataset: { name: 'procedural', trainSize: 64, testSize: 32 }, model: 'tiny_cnn', optimizer: 'sgd', epochs: 1 },
  axes: { 'optimizer.lr': lrs },
  seeds,
});

/** The cells of the table line starting with `id` (columns are two or more spaces apart). */
function row(table: string, id: string): string[] {
  const line = table.split('\n').find((l) => l.startsWith(`${id} `));
  expect(line, `a line for ${id} in\n${table}`).toBeDefined();
  return line!.split(/\s{2,}/);
}

interface SweepItem {
  id: string;
  status: string;
  priority: number;
  trialCount: number;
  counts: Record<string, number>;
}

beforeAll(async () => {
  if (!testbed.app.server.listening) await testbed.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(testbed.app.server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'ablate-cli-test-'));
  const sub = await cliJson<{ id: string; trials: number }>(['submit', await specFile('main', spec('cli test', [0.1, 0.2])), '--json']);
  expect(sub.trials).toBe(2);
  sweepId = sub.id;
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('ablate sweeps', () => {
  it('lists the submitted sweep as a table and as JSON, filtered by status and name', async () => {
    const page = await cliJson<{ items: SweepItem[]; total: number }>(['sweeps', '--json']);
    expect(page.items.find((s) => s.id === sweepId)).toMatchObject({ status: 'queued', trialCount: 2, counts: { queued: 2, done: 0, total: 2 } });

    const table = await cli(['sweeps']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+STATUS\s+DONE\s+FAILED\s+PRIORITY\s+CREATED$/);
    expect(row(table.stdout, sweepId).slice(1, 6)).toEqual(['cli test', 'queued', '0/2', '0', '0']);

    expect((await cliJson<{ items: SweepItem[] }>(['sweeps', '--status', 'done', '--json'])).items.map((s) => s.id)).not.toContain(sweepId);
    expect((await cliJson<{ items: SweepItem[] }>(['sweeps', '--name', 'CLI T', '--json'])).items.map((s) => s.id)).toContain(sweepId);
    expect((await cliJson<{ total: number }>(['sweeps', '--name', 'no such sweep', '--json'])).total).toBe(0);
  });

  it("reports the API's validation error for a bad filter with a non-zero exit", async () => {
    const r = await cli(['sweeps', '--status', 'sleeping']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/400 .*status/s);
  });
});

describe('ablate trials', () => {
  it('lists the two trials of the sweep in grid order', async () => {
    const page = await cliJson<{ items: { labels: Record<string, string>; status: string; epochs: number; epochsDone: number }[] }>([
      'trials',
      sweepId,
      '--json',
    ]);
    expect(page.items.map((t) => [t.labels['optimizer.lr'], t.status, t.epochsDone, t.epochs])).toEqual([
      ['0.1', 'queued', 0, 1],
      ['0.2', 'queued', 0, 1],
    ]);

    const table = await cli(['trials', sweepId]);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^#\s+LABELS\s+SEED\s+STATUS\s+ATTEMPTS\s+EPOCHS\s+TOP1\s+ERROR$/);
    expect(lines[1]!.trim().split(/\s{2,}/)).toEqual(['0', 'optimizer.lr=0.1', '0', 'queued', '0', '0/1', '-']);

    expect((await cliJson<{ items: unknown[] }>(['trials', sweepId, '--status', 'done', '--json'])).items).toEqual([]);
  });
});

describe('ablate status', () => {
  it('says which worker the queued trials wait for when no live worker can take them', async () => {
    const r = await cli(['status', sweepId, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: sweepId, waitingFor: 'a worker' });
    expect(r.stderr).toContain('waiting for a worker');
  });
});

describe('ablate pause | resume | cancel | retry', () => {
  it('pauses and resumes the sweep', async () => {
    expect(await cliJson(['pause', sweepId, '--json'])).toEqual({ id: sweepId, status: 'paused', paused: true });
    expect((await cliJson<{ items: SweepItem[] }>(['sweeps', '--json'])).items.find((s) => s.id === sweepId)?.status).toBe('paused');
    expect((await testbed.env.db.sweep.findUniqueOrThrow({ where: { id: sweepId } })).paused).toBe(true);

    const r = await cli(['resume', sweepId]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`sweep ${sweepId} resumed (status queued)\n`);
    expect((await testbed.env.db.sweep.findUniqueOrThrow({ where: { id: sweepId } })).paused).toBe(false);
  });

  it('cancels the queued trials, then retries them', async () => {
    expect(await cliJson(['cancel', sweepId, '--json'])).toEqual({ id: sweepId, status: 'cancelled', cancelled: 2, stopping: 0, shared: 0 });
    const listed = (await cliJson<{ items: SweepItem[] }>(['sweeps', '--json'])).items.find((s) => s.id === sweepId);
    expect(listed).toMatchObject({ status: 'cancelled', counts: { cancelled: 2, queued: 0 } });

    expect(await cliJson(['retry', sweepId, '--json'])).toMatchObject({ id: sweepId, status: 'queued', requeued: 2 });
    expect(await testbed.env.db.trial.count({ where: { cells: { some: { sweepId } }, status: 'queued' } })).toBe(2);
  });
});

describe('ablate extend', () => {
  it('adds seeds, and axis values parsed as JSON', async () => {
    expect(await cliJson(['extend', sweepId, '--seeds', '1', '--json'])).toMatchObject({ added: 2, created: 2, trialCount: 4 });
    // 0.3 must arrive as a number: the string "0.3" is not a valid learning rate.
    expect(await cliJson(['extend', sweepId, '--axis', 'optimizer.lr=0.3', '--json'])).toMatchObject({ added: 2, trialCount: 6 });
    const trials = await cliJson<{ items: { labels: Record<string, string>; seed: number }[] }>(['trials', sweepId, '--json']);
    expect(trials.items.filter((t) => t.labels['optimizer.lr'] === '0.3').map((t) => t.seed)).toEqual([0, 1]);
  });

  it("refuses an empty extension (exit 2) and reports the API's refusal of an unknown axis or a repeated seed", async () => {
    const empty = await cli(['extend', sweepId]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--seeds');

    const axis = await cli(['extend', sweepId, '--axis', 'nope=1']);
    expect(axis.code).toBe(1);
    expect(axis.stderr).toContain('SWEEP_ERR_INVALID_EXTENSION');
    expect(axis.stderr).toContain("the sweep has no axis 'nope'");

    const seed = await cli(['extend', sweepId, '--seeds', '1']);
    expect(seed.code).toBe(1);
    expect(seed.stderr).toContain('seed 1 is already in the sweep');
    expect((await testbed.env.db.sweep.findUniqueOrThrow({ where: { id: sweepId } })).trialCount).toBe(6);
  });
});

describe('ablate priority', () => {
  it('sets the priority (negative too), shown by `sweeps`; out of range is refused', async () => {
    expect(await cliJson(['priority', sweepId, '-3', '--json'])).toMatchObject({ id: sweepId, priority: -3 });
    expect(await cliJson(['priority', sweepId, '5', '--json'])).toMatchObject({ id: sweepId, priority: 5 });
    expect((await cliJson<{ items: SweepItem[] }>(['sweeps', '--json'])).items.find((s) => s.id === sweepId)?.priority).toBe(5);
    expect(row((await cli(['sweeps'])).stdout, sweepId)[5]).toBe('5');

    const over = await cli(['priority', sweepId, '101']);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('400');
    expect((await testbed.env.db.sweep.findUniqueOrThrow({ where: { id: sweepId } })).priority).toBe(5);
  });
});

describe('ablate workers | drain', () => {
  it('prints only the header while there is no worker', async () => {
    expect(await cliJson(['workers', '--json'])).toEqual({ items: [] });
    const r = await cli(['workers']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ID\s+STATE\s+BACKEND\/DEVICE\s+TRIAL\s+LAST SEEN\s+DONE\/FAILED\n$/);
  });

  it('lists live workers (stopped ones with --all) and drains one', async () => {
    const base = { host: 'box', pid: 1, backend: 'cpu', device: 'cpu', queues: ['trials'], versions: {} };
    await testbed.env.db.worker.create({
      data: { ...base, id: 'w-live', name: 'w-live', state: 'training', trialId: 'trial-abc', trialsDone: 3, trialsFailed: 1 },
    });
    await testbed.env.db.worker.create({ data: { ...base, id: 'w-old', name: 'w-old', state: 'stopped', reason: 'drained', stoppedAt: new Date() } });

    expect((await cliJson<{ items: { id: string }[] }>(['workers', '--json'])).items.map((w) => w.id)).toEqual(['w-live']);
    expect((await cliJson<{ items: { id: string }[] }>(['workers', '--all', '--json'])).items.map((w) => w.id).sort()).toEqual(['w-live', 'w-old']);
    const cells = row((await cli(['workers'])).stdout, 'w-live');
    expect(cells.slice(1, 4)).toEqual(['training', 'cpu/cpu', 'trial-abc']);
    expect(cells[4]).toMatch(/^\d+s ago$/);
    expect(cells[5]).toBe('3/1');

    expect(await cliJson(['drain', 'w-live', '--json'])).toEqual({ id: 'w-live', drain: true });
    expect((await testbed.env.db.worker.findUniqueOrThrow({ where: { id: 'w-live' } })).drain).toBe(true);
    expect(row((await cli(['workers'])).stdout, 'w-live')[1]).toBe('training (drain requested)');
  });

  it("fails on a worker that is unknown or stopped with the API's code and message", async () => {
    for (const id of ['nope', 'w-old']) {
      const r = await cli(['drain', id]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('WORKER_ERR_NOT_FOUND');
      expect(r.stderr).toContain(`no running worker '${id}'`);
    }
  });

  it('no longer says the sweep waits for a worker once a live worker takes its queue', async () => {
    const r = await cli(['status', sweepId, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).waitingFor).toBeNull();
    expect(r.stderr).toBe('');
  });
});

describe('ablate delete', () => {
  it('refuses without --yes (exit 2, nothing deleted), refuses an active sweep, deletes a cancelled one with --yes', async () => {
    const refused = await cli(['delete', sweepId]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('add --yes');
    expect(await testbed.env.db.sweep.count({ where: { id: sweepId } })).toBe(1);

    const busy = await cli(['delete', sweepId, '--yes']);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain('SWEEP_ERR_BUSY');
    expect(await testbed.env.db.sweep.count({ where: { id: sweepId } })).toBe(1);

    expect((await cli(['cancel', sweepId])).code).toBe(0);
    expect(await cliJson(['delete', sweepId, '--yes', '--json'])).toEqual({ id: sweepId, deletedTrials: 6 });
    expect(await testbed.env.db.sweep.count({ where: { id: sweepId } })).toBe(0);
    const gone = await cli(['status', sweepId]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('SWEEP_ERR_NOT_FOUND');
  });
});

describe('ablate submit', () => {
  const count = (name: string) => testbed.env.db.sweep.count({ where: { name } });

  it('creates one sweep when submitted twice with the same idempotency key, two without one', async () => {
    const file = await specFile('idem', spec('cli idem', [0.01], [7]));
    const a = await cliJson<{ id: string }>(['submit', file, '--idempotency-key', 'cli-test-key-1', '--json']);
    const b = await cliJson<{ id: string }>(['submit', file, '--idempotency-key', 'cli-test-key-1', '--json']);
    expect(b.id).toBe(a.id);
    expect(await count('cli idem')).toBe(1);

    // Without a key, each invocation sends a new one: a deliberate second submit is a second sweep.
    await cliJson(['submit', file, '--json']);
    await cliJson(['submit', file, '--json']);
    expect(await count('cli idem')).toBe(3);
  });

  it('repeats a submit whose answer was lost with the same key, and the API answers with the first sweep', async () => {
    const proxy = await dropFirstSubmitAnswer(url);
    try {
      const r = await cliJson<{ id: string }>(['submit', await specFile('lost', spec('cli lost answer', [0.02], [7])), '--json'], proxy.url);
      expect(proxy.keys).toHaveLength(2);
      expect(proxy.keys[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect(proxy.keys[1]).toBe(proxy.keys[0]);
      expect(await testbed.env.db.sweep.findMany({ where: { name: 'cli lost answer' }, select: { id: true } })).toEqual([{ id: r.id }]);
    } finally {
      await new Promise((r) => proxy.server.close(r));
    }
  });
});

/** A proxy to the API that forwards the first POST /sweeps but breaks the connection instead of returning its answer. */
async function dropFirstSubmitAnswer(target: string): Promise<{ url: string; keys: string[]; server: Server }> {
  const keys: string[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const h of ['accept', 'authorization', 'content-type', 'idempotency-key'])
      if (typeof req.headers[h] === 'string') headers[h] = req.headers[h];
    const submit = req.method === 'POST' && req.url === '/sweeps';
    if (submit) keys.push(headers['idempotency-key'] ?? '');
    const upstream = await fetch(new URL(req.url!, target), { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    const body = Buffer.from(await upstream.arrayBuffer());
    if (submit && keys.length === 1) {
      req.socket.destroy();
      return;
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, keys, server };
}

describe('results', () => {
  it('prints a pivoted LaTeX table and the leaderboard of finished trials', async () => {
    const file = await specFile('results', { ...spec('results', [0.3, 0.4], [0, 1]), base: { ...spec('results', [0.3]).base, epochs: 3 } });
    const submitted = await cliJson<{ id: string }>(['submit', file, '--json']);
    for (const c of await testbed.env.db.sweepTrial.findMany({ where: { sweepId: submitted.id }, include: { trial: true } })) {
      const lr = (c.trial.config as { optimizer: { lr: number } }).optimizer.lr;
      const v = 0.5 + lr / 2 + c.trial.seed / 100;
      await testbed.env.db.trial.update({ where: { id: c.trialId }, data: { status: 'done', testTop1: v, finalMetrics: { testTop1: v } } });
    }
    const tex = await cli(['table', submitted.id, '-f', 'latex', '--cols', 'optimizer.lr']);
    expect(tex.code, tex.stderr).toBe(0);
    expect(tex.stdout).toContain('\\begin{tabular}{rr}');
    expect(tex.stdout).toContain('optimizer.lr=0.3 & optimizer.lr=0.4');
    // One row (every axis is a column), so it is the best of each column.
    expect(tex.stdout).toContain('\\textbf{65.50 $\\pm$ 0.71} & \\textbf{70.50 $\\pm$ 0.71} \\\\');
    const lb = await cliJson<{ total: number; items: { summary: string; n: number }[] }>(['leaderboard', '-f', 'json', '--epochs', '3']);
    expect(lb.total).toBe(2);
    expect(lb.items.map((i) => [i.summary.split(', ')[1], i.n])).toEqual([
      ['sgd lr=0.4', 2],
      ['sgd lr=0.3', 2],
    ]);
    const bad = await cli(['leaderboard', '--where', 'nonsense']);
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('API_ERR_BAD_REQUEST')]);
  });

  it('watches a sweep live until every trial has ended', async () => {
    const submitted = await cliJson<{ id: string }>(['submit', await specFile('watched', spec('watched', [0.6, 0.7])), '--json']);
    const watching = cli(['watch', submitted.id]);
    await new Promise((r) => setTimeout(r, 1500));
    for (const c of await testbed.env.db.sweepTrial.findMany({ where: { sweepId: submitted.id }, orderBy: { index: 'asc' } })) {
      await testbed.env.db.trial.update({ where: { id: c.trialId }, data: { status: 'running', workerId: 'w.1.ab', claims: 1 } });
      await testbed.env.db.epochMetric.create({
        data: {
          trialId: c.trialId,
          epoch: 1,
          trainLoss: 1,
          trainAcc: 0.5,
          testLoss: 1,
          testTop1: 0.625,
          testTop5: 1,
          lr: 0.1,
          seconds: 2,
          attempt: 1,
        },
      });
      await testbed.env.db.trial.update({ where: { id: c.trialId }, data: { status: 'done', testTop1: 0.625 } });
    }
    const r = await watching;
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('progress: 0/2 done, 0 running, 2 queued, 0 failed');
    expect(lines.filter((l) => / started on w\.1\.ab \(attempt 1\)$/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => / epoch 1: test top-1 62\.50 % \(2\.0 s\)$/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => / done: test top-1 62\.50 %$/.test(l))).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/^progress: 2\/2 done, 0 running, 0 queued, 0 failed, ETA 0 s$/);
  });
});

describe('a CLI people enjoy', () => {
  /** Marks a trial as a worker would: running, one epoch, then done (or failed). */
  async function play(trialId: string, end: 'done' | 'failed') {
    await testbed.env.db.trial.update({ where: { id: trialId }, data: { status: 'running', workerId: 'w.2.cd', claims: 1 } });
    await testbed.env.db.epochMetric.create({
      data: { trialId, epoch: 1, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testTop1: 0.5, testTop5: 1, lr: 0.1, seconds: 1, attempt: 1 },
    });
    await testbed.env.db.trial.update({
      where: { id: trialId },
      data:
        end === 'done'
          ? { status: 'done', testTop1: 0.5, finalMetrics: { testTop1: 0.5 } }
          : { status: 'failed', error: { code: 'TRAIN_ERR_DIVERGED' } },
    });
  }

  it('submit --dry-run prints the rows and how exclude and include shaped them; nothing is stored', async () => {
    const before = await testbed.env.db.sweep.count();
    const file = await specFile('dry', {
      ...spec('dry', [0.1, 0.2, 0.3], [0, 1]),
      exclude: [{ 'optimizer.lr': 0.2 }],
      include: [{ 'optimizer.lr': 0.05 }],
    });
    const r = await cli(['submit', file, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('dry run: 6 trials in 3 rows; nothing stored');
    expect(r.stdout).toContain('grid: 3 rows · exclude[0] dropped 1 row · include added 1 row');
    expect(r.stdout.split('\n').filter((l) => /^0\.(1|3|05)\s+0,1$/.test(l))).toHaveLength(3);
    expect(await testbed.env.db.sweep.count()).toBe(before);
  });

  it('submit --wait --timeout gives up with exit code 4 and says the sweep goes on', async () => {
    const r = await cli(['submit', await specFile('timeout', spec('cli timeout', [0.81])), '--wait', '--timeout', '2']);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^submitted sweep [0-9a-f-]{36} 'cli timeout': 1 trials/);
    expect(r.stdout).toMatch(/\[\.+\] 0\/1 trials · 0 running · 1 queued/);
    expect(r.stderr).toMatch(/stopped waiting after 2 s; the sweep goes on \(ablate status [0-9a-f-]{36} --watch\)/);
  });

  it('status --watch follows the sweep to its end and exits 3 when a trial failed', async () => {
    const submitted = await cliJson<{ id: string }>(['submit', await specFile('followed', spec('followed', [0.91, 0.92])), '--json']);
    const watching = cli(['status', submitted.id, '--watch']);
    await new Promise((r) => setTimeout(r, 2000));
    const cells = await testbed.env.db.sweepTrial.findMany({ where: { sweepId: submitted.id }, orderBy: { index: 'asc' } });
    await play(cells[0]!.trialId, 'done');
    await play(cells[1]!.trialId, 'failed');
    const r = await watching;
    expect(r.code, r.stderr).toBe(3);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^\[\.{30}\] 0\/2 trials · 0 running · 2 queued · /);
    // The final summary: the bar with one done (#) and one failed (x) half, and the counts.
    expect(r.stdout).toContain('status failed · priority 0');
    expect(r.stdout).toMatch(/\[#{15}x{15}\] 1 done, 0 running, 0 queued, 1 failed, 0 cancelled of 2/);
  });

  it("table --layout study prints the paper's layout of a study sweep", async () => {
    const study = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(join(ROOT, 'sweeps/study/losses.json'), 'utf8')));
    const id = (await cliJson<{ id: string }>(['submit', await specFile('study-losses', study), '--json'])).id;
    for (const c of await testbed.env.db.sweepTrial.findMany({ where: { sweepId: id }, include: { trial: true } })) {
      const v = 0.8 + c.trial.seed / 100;
      await testbed.env.db.trial.update({
        where: { id: c.trialId },
        data: { status: 'done', testTop1: v, finalMetrics: { testTop1: v, bestTop1: v + 0.01 } },
      });
    }
    const r = await cli(['table', id, '--layout', 'study']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('|'));
    expect(lines[0]).toBe('| method | acc | n | blog |');
    // bestTop1 over seeds 0, 1, 2: 0.81, 0.82, 0.83.
    expect(lines[2]).toBe('| CE | 0.8200 ± 0.0100 | 3/3 | 0.8311 |');
    expect(lines[3]).toBe('| smooth_CE | 0.8200 ± 0.0100 | 3/3 | 0.833 |');
  });

  it('plot saves a sweep plot as SVG or PNG by the file extension; a wrong name gets "did you mean"', async () => {
    const id = (await cliJson<{ items: SweepItem[] }>(['list', '--name', 'results', '--json'])).items[0]!.id;
    const svg = join(dir, 'bars.svg');
    const r = await cli(['plot', id, 'bars', '-o', svg, '--baseline', 'optimizer.lr=0.3']);
    expect(r.code, r.stderr).toBe(0);
    const text = await import('node:fs/promises').then((fs) => fs.readFile(svg, 'utf8'));
    expect(text.startsWith('<svg')).toBe(true);
    expect(text).toContain('baseline');
    const png = join(dir, 'bars.png');
    expect((await cli(['plot', id, 'bars', '-o', png])).code).toBe(0);
    const bytes = await import('node:fs/promises').then((fs) => fs.readFile(png));
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const typo = await cli(['plot', id, 'barz', '-o', svg]);
    expect([typo.code, typo.stderr]).toEqual([1, expect.stringMatching(/PLOT_ERR_UNKNOWN[\s\S]*bars/)]);
    // The sweep has no epoch rows (its results were written directly): the API says what is missing.
    const curves = await cli(['plot', id, 'curves', '-o', join(dir, 'curves.svg')]);
    expect([curves.code, curves.stderr]).toEqual([1, expect.stringContaining('PLOT_ERR_NO_DATA')]);
    const ext = await cli(['plot', id, 'bars', '-o', join(dir, 'bars.txt')]);
    expect([ext.code, ext.stderr]).toEqual([2, expect.stringContaining('-o must end in .svg or .png')]);
  });

  it('is the `ablate` bin of the workspace: `npx ablate` runs it', async () => {
    const r = await new Promise<Run>((resolve, reject) => {
      const child = spawn(join(ROOT, 'node_modules/.bin/ablate'), ['--api', url, 'list', '--json'], {
        cwd: ROOT,
        env: { ...process.env, ABLATE_API_KEY: testbed.key },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).items.length).toBeGreaterThan(0);
  });
});
