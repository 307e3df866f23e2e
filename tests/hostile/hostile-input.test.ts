// At least 1,000 generated hostile requests (seeded: ABLATE_HOSTILE_SEED, printed) across every route and parameter,
// sent over real HTTP (and raw sockets) to a listening API. Asserts: no 5xx and no hang (each answer within 2 s), every
// refusal in the API's error shape without a stack, stored sweeps and trials unchanged except the creations answered
// 201, and the server healthy throughout: known-answer control requests every few requests and after each
// prototype-key request, with Object.prototype untouched in the server's process (this one).
import { createHash } from 'node:crypto';
import { errorCodes } from '../../apps/api/src/errors.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp, waitFor } from '../helpers/index.js';
import { type Answer, send, sendRaw } from './client.js';
import { generate, type HostileRequest, Rand, richSpec, STORED_SEED, validSpec } from './generator.js';
import { listRoutes, routerRoutes } from './routes.js';

const SEED = Number(process.env.ABLATE_HOSTILE_SEED ?? 20261129);
const AT_LEAST = Number(process.env.ABLATE_HOSTILE_REQUESTS ?? 1000);
/** Control requests after every this many hostile ones. */
const CONTROL_EVERY = 5;
const ANSWER_WITHIN_MS = 2_000;
/** Variant labels of the sweep stored before the run: valid, but each a trap for code that keys objects by label. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a label that looks like a template
const STORED_LABELS = ['__proto__', 'constructor', 'toString', '<script>alert(1)</script>', '"q",;|&\n', '${x} %s', 'L'.repeat(200), '😀'];

const testbed = useTestApp();

/** The headers every request of the suite carries: the API key, taken from one place. */
function authHeaders(): Record<string, string> {
  const key = process.env.ABLATE_TEST_KEY;
  return key ? { authorization: `Bearer ${key}` } : testbed.authHeaders;
}

/** The one way the suite sends a request: the auth headers added, raw bytes on their own socket. */
function request(base: URL, r: Pick<HostileRequest, 'method' | 'path' | 'headers' | 'body' | 'raw'>): Promise<Answer> {
  if (r.raw) return sendRaw(base, r.raw);
  return send(base, { method: r.method, path: r.path, headers: { ...authHeaders(), ...r.headers }, body: r.body });
}

/** Per-row hashes of what the API stores: sweeps, trials, their cells, and counts of the rest. */
async function snapshot() {
  const db = testbed.env.db;
  const rows = async (sql: string) => new Map((await db.$queryRawUnsafe<{ id: string; h: string }[]>(sql)).map((r) => [r.id, r.h]));
  const counts = await db.$queryRawUnsafe<{ t: string; n: bigint }[]>(
    `SELECT 'epochs' AS t, count(*) AS n FROM "EpochMetric" UNION ALL SELECT 'artifacts', count(*) FROM "Artifact"
     UNION ALL SELECT 'events', count(*) FROM "TrialEvent"`,
  );
  return {
    sweeps: await rows(
      `SELECT id, md5(concat_ws('|', name, spec::text, resolved::text, status, backend, "trialCount", priority, paused, "cancelledAt", "projectId")) AS h FROM "Sweep"`,
    ),
    trials: await rows(
      `SELECT id, md5(concat_ws('|', "groupKey", config::text, seed, status, attempts, "stopRequested", error::text, "finalMetrics"::text)) AS h FROM "Trial"`,
    ),
    cells: await rows(`SELECT "sweepId" || '/' || "trialId" AS id, md5(concat_ws('|', index, labels::text)) AS h FROM "SweepTrial"`),
    counts: Object.fromEntries(counts.map((c) => [c.t, Number(c.n)])),
  };
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** One hash over a table's row hashes (and its row count), for the report. */
const tableHash = (m: Map<string, string>) =>
  `${createHash('sha256')
    .update(
      [...m.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([id, h]) => `${id}:${h}`)
        .join(','),
    )
    .digest('hex')
    .slice(0, 12)} (${m.size} rows)`;

/** What an error answer must look like: the catalogue's shape, its code known, no stack trace. */
function errorShapeProblem(a: Answer, method: string): string | undefined {
  if (method === 'HEAD' || a.status < 400) return undefined;
  if (!String(a.headers['content-type'] ?? '').startsWith('application/json')) return `content-type ${a.headers['content-type']}`;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(a.body) as Record<string, unknown>;
  } catch {
    return 'body is not JSON';
  }
  if (body.statusCode !== a.status) return `statusCode ${body.statusCode} in the body`;
  if (typeof body.code !== 'string' || !(body.code in errorCodes)) return `code ${String(body.code)} is not in the catalogue`;
  if (typeof body.error !== 'string' || typeof body.message !== 'string') return 'no error or message';
  const extra = Object.keys(body).filter((k) => !['statusCode', 'code', 'error', 'message', 'issues'].includes(k));
  if (extra.length) return `extra fields ${extra.join(', ')}`;
  if (/\n\s+at |\bat [^\s]+ \(.*:\d+:\d+\)|node_modules|\/src\//.test(a.body)) return 'a stack trace or a source path';
  return undefined;
}

describe('hostile input', () => {
  let base: URL;
  let sweepId: string;
  let protoNames: string[];

  beforeAll(async () => {
    // The run makes ~1,000 writes a minute with one key: lift the project's write rate limit (not what this suite tests).
    await testbed.env.db.$executeRawUnsafe(
      `INSERT INTO "Project" (id, limits) VALUES ('default', '{"writesPerMinute": 100000}') ON CONFLICT (id) DO UPDATE SET limits = "Project".limits || EXCLUDED.limits`,
    );
    const address = await testbed.app.listen({ port: 0, host: '127.0.0.1' });
    base = new URL(address);
    protoNames = Object.getOwnPropertyNames(Object.prototype).sort();
    // The sweep stored before the run: hostile (but valid) labels, its trials finished with epochs, so every table and
    // plot route renders them instead of answering "no data yet".
    const spec = {
      ...validSpec('stored before the run'),
      variants: STORED_LABELS.map((label, i) => ({ label, set: { 'optimizer.lr': 0.01 + i / 1000 } })),
      seeds: [STORED_SEED],
    };
    const stored = await request(base, {
      method: 'POST',
      path: '/sweeps',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(spec),
    });
    expect(stored.status, stored.body).toBe(201);
    sweepId = (JSON.parse(stored.body) as { id: string }).id;
    const db = testbed.env.db;
    await db.$executeRaw`UPDATE "Trial" SET status = 'done', "finishedAt" = now(), "testTop1" = 0.5 + random() / 4,
      "finalMetrics" = jsonb_build_object('testTop1', 0.6, 'testTop5', 0.9, 'testLoss', 1.1)`;
    await db.$executeRaw`INSERT INTO "EpochMetric" ("trialId", epoch, "trainLoss", "trainAcc", "testLoss", "testTop1", "testTop5", lr, seconds, attempt)
      SELECT t.id, e, 1.0 / e, 0.5, 1.0 / e, 0.4 + random() / 4, 0.9, 0.1, 1, 1 FROM "Trial" t CROSS JOIN generate_series(1, 3) e`;
    // The reconciler marks the sweep done once it sees every trial ended: let it, before anything is snapshot.
    await waitFor(async () => (await db.sweep.findUnique({ where: { id: sweepId } }))?.status === 'done', 20_000, 'the stored sweep to be done');
  });

  it(`answers ${AT_LEAST}+ generated requests on every route: no 5xx, no hang, nothing stored but 201s, healthy throughout`, async () => {
    const rand = new Rand(SEED);
    console.log(`hostile-input seed ${SEED} (rerun with ABLATE_HOSTILE_SEED=${SEED})`);
    const trials = await request(base, { method: 'GET', path: `/sweeps/${sweepId}/trials`, headers: {} });
    const trialId = (JSON.parse(trials.body) as { items: { id: string }[] }).items[0]!.id;
    // The skeletons are valid, so every failure below comes from what a request changed.
    for (const spec of [validSpec(), richSpec()]) {
      const dry = await request(base, {
        method: 'POST',
        path: '/sweeps?dryRun=true',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(spec),
      });
      expect(dry.status, dry.body).toBe(200);
    }
    const routes = listRoutes(testbed.app);
    const requests = generate(rand, { routes, known: { sweepId, trialId }, auth: authHeaders(), atLeast: AT_LEAST });
    expect(requests.length).toBeGreaterThanOrEqual(AT_LEAST);
    // Every route the router has (Swagger UI's files and HEAD twins aside) gets requests.
    const aimed = new Set(requests.map((r) => r.route));
    const missing = routerRoutes(testbed.app)
      .filter((r) => r.method !== 'HEAD' && !r.template.startsWith('/docs') && r.template !== '/*')
      .map((r) => `${r.method} ${r.template}`)
      .filter((r) => !aimed.has(r));
    expect(missing).toEqual([]);

    const before: Snapshot = await snapshot();
    const violations: string[] = [];
    const byStatus = new Map<number, number>();
    const byKind = new Map<string, number>();
    let slowest = { ms: 0, what: '' };
    const created: { id: string; created: number; trials: number }[] = [];
    let controls = 0;

    const describeReq = (r: Pick<HostileRequest, 'kind' | 'method' | 'path'>) =>
      `${r.kind} ${r.method} ${r.path.slice(0, 120)}${r.path.length > 120 ? '…' : ''}`;
    const check = (r: Pick<HostileRequest, 'kind' | 'method' | 'path' | 'mustFail'>, a: Answer) => {
      const what = describeReq(r);
      if (a.ms > slowest.ms) slowest = { ms: a.ms, what: `${what} → ${a.status}` };
      if (a.status === -1) return; // Node would not send it over HTTP; its raw twin is in the run.
      byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
      if (a.status === 0 || a.status >= 500) violations.push(`${what}: ${a.status || a.error} ${a.body.slice(0, 300)}`);
      if (a.ms > ANSWER_WITHIN_MS) violations.push(`${what}: answered in ${a.ms.toFixed(0)} ms`);
      if (r.mustFail && a.status > 0 && a.status < 400) violations.push(`${what}: accepted (${a.status}) ${a.body.slice(0, 200)}`);
      if (a.status > 0 && a.headers['x-content-type-options'] !== 'nosniff') violations.push(`${what}: no security headers`);
      const shape = a.status > 0 ? errorShapeProblem(a, r.method) : undefined;
      if (shape) violations.push(`${what}: error shape: ${shape}: ${a.body.slice(0, 200)}`);
    };
    const control = async () => {
      controls++;
      const dry = await request(base, {
        method: 'POST',
        path: '/sweeps?dryRun=true',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(validSpec('control')),
      });
      check({ kind: 'control.dry-run', method: 'POST', path: '/sweeps?dryRun=true', mustFail: false }, dry);
      if (dry.status !== 200 || (JSON.parse(dry.body) as { trials?: number }).trials !== 2)
        violations.push(`control dry run: ${dry.status} ${dry.body.slice(0, 200)}`);
      const read = await request(base, { method: 'GET', path: `/sweeps/${sweepId}`, headers: {} });
      check({ kind: 'control.read', method: 'GET', path: `/sweeps/${sweepId}`, mustFail: false }, read);
      if (read.status !== 200 || (JSON.parse(read.body) as { id?: string }).id !== sweepId)
        violations.push(`control read: ${read.status} ${read.body.slice(0, 200)}`);
      if (({} as Record<string, unknown>).polluted !== undefined || ([] as unknown as Record<string, unknown>).polluted !== undefined)
        violations.push('Object.prototype was polluted');
      const names = Object.getOwnPropertyNames(Object.prototype).sort();
      if (names.join() !== protoNames.join()) violations.push(`Object.prototype changed: ${names.join(', ')}`);
    };

    const t0 = performance.now();
    for (const [i, r] of requests.entries()) {
      let a = await request(base, r);
      // Node refuses to send some of these over HTTP (a raw NUL, a space in the path): send the same bytes raw.
      if (a.status === -1) {
        const head = `${r.method} ${r.path} HTTP/1.1\r\nHost: x\r\n${Object.entries({ ...authHeaders(), ...r.headers })
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('')}${r.body !== undefined ? `Content-Length: ${Buffer.byteLength(r.body)}\r\n` : ''}Connection: close\r\n\r\n`;
        a = await sendRaw(base, Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(r.body ?? '')]));
      }
      check(r, a);
      // Only POST /sweeps (and POST /keys) may change what is stored: any other write that succeeded is a violation.
      if (!['GET', 'HEAD', 'RAW'].includes(r.method) && a.status >= 200 && a.status < 300 && !/^\/(sweeps|keys)(\?|$)/.test(r.path))
        violations.push(`${describeReq(r)}: a write succeeded (${a.status}) ${a.body.slice(0, 200)}`);
      byKind.set(r.kind.split('.').slice(0, 2).join('.'), (byKind.get(r.kind.split('.').slice(0, 2).join('.')) ?? 0) + 1);
      if (r.method === 'POST' && r.path === '/sweeps' && a.status === 201) {
        const b = JSON.parse(a.body) as { id: string; created: number; trials: number };
        created.push(b);
      }
      if (r.proto || (i + 1) % CONTROL_EVERY === 0) await control();
    }
    const seconds = (performance.now() - t0) / 1000;
    await control();
    const health = await request(base, { method: 'GET', path: '/health', headers: {} });
    if (health.status !== 200 || health.body !== '{"status":"ok"}') violations.push(`health after the run: ${health.status} ${health.body}`);

    // Stored data: every row from before unchanged; new sweeps exactly the 201s; new trials exactly what they created.
    const after = await snapshot();
    for (const table of ['sweeps', 'trials', 'cells'] as const) {
      for (const [id, h] of before[table]) if (after[table].get(id) !== h) violations.push(`${table} row ${id} changed or vanished`);
    }
    const newSweeps = [...after.sweeps.keys()].filter((id) => !before.sweeps.has(id)).sort();
    const newTrials = [...after.trials.keys()].filter((id) => !before.trials.has(id));
    const newCells = [...after.cells.keys()].filter((id) => !before.cells.has(id));

    const statuses = [...byStatus.entries()].sort(([a], [b]) => a - b);
    console.log(
      [
        `hostile-input: ${requests.length} generated requests + ${controls * 2} control requests over ${routes.length} routes in ${seconds.toFixed(1)} s (seed ${SEED})`,
        `  by status: ${statuses.map(([code, n]) => `${code}: ${n}`).join(', ')}`,
        `  by kind: ${[...byKind.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}`,
        `  slowest answer: ${slowest.ms.toFixed(0)} ms (${slowest.what})`,
        `  stored: ${created.length} sweeps created (201), ${newTrials.length} trials; sweeps ${tableHash(before.sweeps)} → ${tableHash(after.sweeps)}, trials ${tableHash(before.trials)} → ${tableHash(after.trials)}`,
        `  rows from before the run, after it: sweeps ${tableHash(new Map([...after.sweeps].filter(([id]) => before.sweeps.has(id))))}, trials ${tableHash(new Map([...after.trials].filter(([id]) => before.trials.has(id))))}`,
      ].join('\n'),
    );
    expect(violations.slice(0, 40), `${violations.length} violations`).toEqual([]);
    expect(newSweeps).toEqual(created.map((c) => c.id).sort());
    expect(newTrials.length).toBe(created.reduce((n, c) => n + c.created, 0));
    expect(newCells.length).toBe(created.reduce((n, c) => n + c.trials, 0));
    expect(newCells.every((c) => created.some((c2) => c.startsWith(`${c2.id}/`)))).toBe(true);
    expect(after.counts).toEqual(before.counts);
  }, 600_000);
});
