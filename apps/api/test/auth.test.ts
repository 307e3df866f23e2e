// API keys and projects against the real API: every route needs a key (but /health, the dashboard's files and the
// docs), a read key cannot write, another project's key sees none of this project's sweeps or trials (404, the same
// answer as for an id that never existed), a revoked key is refused; the routes are taken from the OpenAPI document, so
// a new route is covered when it is added.
import { createApiKey } from '@ablate/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp, waitFor } from '../../../tests/helpers/index.js';

const testbed = useTestApp();
const spec = {
  name: 'auth test',
  base: { dataset: { name: 'procedural', trainSize: 64, testSize: 32 }, model: 'tiny_cnn', optimizer: { name: 'sgd', lr: 0.1 }, epochs: 1 },
  axes: { 'optimizer.lr': [0.1, 0.2] },
  seeds: [0],
};

interface Route {
  method: string;
  url: string;
}
let routes: Route[] = [];
let sweepId = '';
let trialId = '';
const keys: Record<'read' | 'write' | 'otherAdmin', string> = { read: '', write: '', otherAdmin: '' };

const PUBLIC = new Set(['/health', '/']);
/** A route's URL with its parameters filled from this project's sweep and trial. */
function concrete(path: string): string {
  return path
    .replace(
      '{id}',
      path.startsWith('/experiments') ? trialId : path.startsWith('/keys') ? '000000000000' : path.startsWith('/workers') ? 'w.1.x' : sweepId,
    )
    .replace('{artifactId}', '1')
    .replace('{format}', 'svg');
}

beforeAll(async () => {
  const r = await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: spec });
  expect(r.statusCode).toBe(201);
  sweepId = r.json().id;
  trialId = (await testbed.env.db.sweepTrial.findFirstOrThrow({ where: { sweepId } })).trialId;
  keys.read = (await createApiKey(testbed.env.db, { projectId: 'default', scope: 'read' })).key;
  keys.write = (await createApiKey(testbed.env.db, { projectId: 'default', scope: 'write' })).key;
  keys.otherAdmin = (await createApiKey(testbed.env.db, { projectId: 'other-lab', scope: 'admin' })).key;
  const doc = (await testbed.app.inject({ method: 'GET', url: '/docs/json', headers: { authorization: '' } })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'patch', 'delete', 'put'].includes(m))
      .map((m) => ({ method: m.toUpperCase(), url: concrete(path) })),
  );
  expect(routes.length).toBeGreaterThan(20);
});

const as = (key: string | null, r: Route, payload?: unknown) =>
  testbed.app.inject({
    method: r.method as 'GET',
    url: r.url,
    headers: { authorization: key ? `Bearer ${key}` : '' },
    ...(payload ? { payload } : {}),
  });

describe('API keys', () => {
  it('declares the bearer scheme in the OpenAPI document', async () => {
    const doc = (await testbed.app.inject({ method: 'GET', url: '/docs/json', headers: { authorization: '' } })).json();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
  });

  it('no key → 401 on every route but /health; a malformed or unknown key → 401', async () => {
    const refused: string[] = [];
    for (const r of routes.filter((x) => !PUBLIC.has(x.url))) {
      const a = await as(null, r);
      if (a.statusCode !== 401 || a.json().code !== 'AUTH_ERR_MISSING') refused.push(`${r.method} ${r.url}: ${a.statusCode}`);
      const b = await as('abl_000000000000_not-a-real-key', r);
      if (b.statusCode !== 401 || b.json().code !== 'AUTH_ERR_INVALID') refused.push(`${r.method} ${r.url} (unknown key): ${b.statusCode}`);
    }
    expect(refused).toEqual([]);
    const health = await as(null, { method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    const garbage = await testbed.app.inject({ method: 'GET', url: '/sweeps', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(garbage.statusCode).toBe(401);
  });

  it('a read key → 403 on every write route, naming the scope it needs; reads pass', async () => {
    const writes = routes.filter((r) => r.method !== 'GET');
    expect(writes.length).toBeGreaterThan(8);
    const wrong: string[] = [];
    for (const r of writes) {
      const a = await as(keys.read, r, {});
      if (a.statusCode !== 403 || a.json().code !== 'AUTH_ERR_FORBIDDEN' || !/needs '(write|admin)'/.test(a.json().message)) {
        wrong.push(`${r.method} ${r.url}: ${a.statusCode} ${a.body.slice(0, 80)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect((await as(keys.read, { method: 'GET', url: `/sweeps/${sweepId}` })).statusCode).toBe(200);
    expect((await as(keys.read, { method: 'GET', url: `/experiments/${trialId}` })).statusCode).toBe(200);
  });

  it('a write key submits and steers sweeps but cannot manage keys or drain workers (admin)', async () => {
    expect((await as(keys.write, { method: 'POST', url: '/sweeps?dryRun=true' }, spec)).statusCode).toBe(200);
    expect((await as(keys.write, { method: 'POST', url: `/sweeps/${sweepId}/pause` })).statusCode).toBe(200);
    expect((await as(keys.write, { method: 'POST', url: `/sweeps/${sweepId}/resume` })).statusCode).toBe(200);
    for (const r of [
      { method: 'POST', url: '/keys' },
      { method: 'GET', url: '/keys' },
      { method: 'POST', url: '/workers/w.1.x/drain' },
    ]) {
      expect((await as(keys.write, r, { scope: 'read' })).statusCode, `${r.method} ${r.url}`).toBe(403);
    }
  });

  it("another project's key → 404 on every read of this project's sweep and trial, the answer an unknown id gets", async () => {
    const reads = routes.filter((r) => r.method === 'GET' && (r.url.includes(sweepId) || r.url.includes(trialId)));
    expect(reads.length).toBeGreaterThan(10);
    const leaks: string[] = [];
    for (const r of reads) {
      const a = await as(keys.otherAdmin, r);
      const unknown = await as(keys.otherAdmin, {
        method: 'GET',
        url: r.url.replace(sweepId, '00000000-0000-4000-8000-000000000000').replace(trialId, 'f'.repeat(32)),
      });
      if (a.statusCode !== 404 || a.json().code !== unknown.json().code) leaks.push(`${r.url}: ${a.statusCode} vs unknown ${unknown.statusCode}`);
    }
    expect(leaks).toEqual([]);
    // Nor through lists: its sweeps list and leaderboard are empty; writes to the sweep are 404 too.
    expect((await as(keys.otherAdmin, { method: 'GET', url: '/sweeps' })).json().items).toEqual([]);
    expect((await as(keys.otherAdmin, { method: 'GET', url: '/leaderboard' })).json().items).toEqual([]);
    for (const verb of ['pause', 'cancel', 'retry']) {
      expect((await as(keys.otherAdmin, { method: 'POST', url: `/sweeps/${sweepId}/${verb}` })).statusCode).toBe(404);
    }
    expect((await as(keys.otherAdmin, { method: 'DELETE', url: `/sweeps/${sweepId}` })).statusCode).toBe(404);
  });

  it('a trial shared by two projects stays one trial, seen by each only through its own sweep', async () => {
    const theirs = await testbed.app.inject({
      method: 'POST',
      url: '/sweeps',
      payload: spec,
      headers: { authorization: `Bearer ${keys.otherAdmin}` },
    });
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json()).toMatchObject({ trials: 2, created: 0, reused: 2 });
    const mine = (await as(testbed.key, { method: 'GET', url: `/experiments/${trialId}` })).json();
    const seen = (await as(keys.otherAdmin, { method: 'GET', url: `/experiments/${trialId}` })).json();
    expect(mine.sweeps.map((s: { sweepId: string }) => s.sweepId)).toEqual([sweepId]);
    expect(seen.sweeps.map((s: { sweepId: string }) => s.sweepId)).toEqual([theirs.json().id]);
    expect(await testbed.env.db.trial.count({ where: { id: trialId } })).toBe(1);
  });

  it('keys are created (shown once, stored hashed) and revoked through /keys; a revoked key → 401', async () => {
    const created = await testbed.app.inject({ method: 'POST', url: '/keys', payload: { scope: 'read', name: 'ci' } });
    expect(created.statusCode).toBe(201);
    const { id, key } = created.json();
    expect(key).toMatch(/^abl_[0-9a-f]{12}_[A-Za-z0-9_-]{32}$/);
    const stored = await testbed.env.db.apiKey.findUniqueOrThrow({ where: { id } });
    expect(stored.hash).not.toContain(key.slice(17));
    expect(stored.hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await as(key, { method: 'GET', url: '/sweeps' })).statusCode).toBe(200);
    const listed = (await testbed.app.inject({ method: 'GET', url: '/keys' })).json().items;
    expect(listed.find((k: { id: string }) => k.id === id)).toMatchObject({ scope: 'read', name: 'ci', revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(key);
    expect((await testbed.app.inject({ method: 'DELETE', url: `/keys/${id}` })).statusCode).toBe(200);
    const after = await as(key, { method: 'GET', url: '/sweeps' });
    expect([after.statusCode, after.json().code]).toEqual([401, 'AUTH_ERR_INVALID']);
    // Another project's admin cannot revoke this project's keys.
    const mineAgain = (await testbed.app.inject({ method: 'POST', url: '/keys', payload: { scope: 'read' } })).json();
    expect((await as(keys.otherAdmin, { method: 'DELETE', url: `/keys/${mineAgain.id}` })).statusCode).toBe(404);
    expect((await as(mineAgain.key, { method: 'GET', url: '/sweeps' })).statusCode).toBe(200);
  });

  it('an Idempotency-Key is per project: the same key in two projects makes two sweeps', async () => {
    const h = (key: string) => ({ authorization: `Bearer ${key}`, 'idempotency-key': 'shared-key-1' });
    const a = await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: spec, headers: h(testbed.key) });
    const b = await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: spec, headers: h(keys.otherAdmin) });
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().id).not.toBe(b.json().id);
    await waitFor(async () => (await testbed.env.db.sweep.count({ where: { id: b.json().id, projectId: 'other-lab' } })) === 1, 5_000, 'the sweep');
  });
});
