// Each defence the hostile-input suite relies on, with its exact answer: depth checked before parsing, prototype keys,
// NUL and lone surrogates refused naming the field, strict query parameters, Fastify's and Node's own errors in the
// API's shape, label caps, image_folder paths confined to the data roots (one answer for every refusal), opaque
// artifact references, security headers, CORS only when configured, a minimal /health, and redacted logs.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DATA_PATH_REFUSED, MAX_LABEL_LENGTH, MAX_NAME_LENGTH } from '@ablate/spec';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/api/src/app.js';
import { parseEnv } from '../../apps/api/src/env.js';
import { apiLogOptions, redactUrl } from '../../apps/api/src/log-options.js';
import { MAX_JSON_DEPTH } from '../../apps/api/src/plugins/json-body.js';
import { SECURITY_HEADERS } from '../../apps/api/src/plugins/security-headers.js';
import { WorkerEnv } from '../../apps/worker/src/env.js';
import { imageFolderDataset } from '../../packages/core/src/data/image-folder.js';
import { setupTestEnv, type TestEnv, useTestApp } from '../helpers/index.js';
import { sendRaw } from './client.js';
import { validSpec } from './generator.js';

const testbed = useTestApp();

const post = (payload: string | object, url = '/sweeps?dryRun=true', headers: Record<string, string> = {}) =>
  testbed.app.inject({
    method: 'POST',
    url,
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    headers: { 'content-type': 'application/json', ...headers },
  });

/** The error answer's code, its first issue's path, and its message. */
function refusal(r: { statusCode: number; json(): unknown }) {
  const b = r.json() as { statusCode: number; code: string; message: string; issues?: { path: string }[] };
  expect(b.statusCode).toBe(r.statusCode);
  return { status: r.statusCode, code: b.code, path: b.issues?.[0]?.path, message: b.message };
}

describe('bodies', () => {
  it('refuses nesting past the limit before parsing it, in a small body, and lets the limit itself through to the schema', async () => {
    const deepObjects = `${'{"":'.repeat(2000)}1${'}'.repeat(2000)}`;
    expect(deepObjects.length).toBeLessThan(10_240);
    for (const body of [deepObjects, `${'['.repeat(10_000)}${']'.repeat(10_000)}`, `{"name":"x","base":${'['.repeat(MAX_JSON_DEPTH)}]}`]) {
      const r = refusal(await post(body));
      expect(r).toMatchObject({ status: 400, code: 'API_ERR_TOO_DEEP' });
      expect(r.message).toContain(`limit: ${MAX_JSON_DEPTH}`);
    }
    // At the limit the parser passes it on and the schema answers; brackets inside strings do not count.
    const atLimit = `{"name":"x","base":${'['.repeat(MAX_JSON_DEPTH - 1)}${']'.repeat(MAX_JSON_DEPTH - 1)}}`;
    expect(refusal(await post(atLimit)).code).toBe('SWEEP_ERR_INVALID_SPEC');
    expect((await post({ ...validSpec(), description: '[{'.repeat(5000) })).statusCode).toBe(200);
  });

  it('refuses __proto__, constructor and prototype keys naming where, and no prototype is touched', async () => {
    const spec = JSON.stringify(validSpec());
    for (const [body, path] of [
      [`{"__proto__":{"polluted":true},${spec.slice(1)}`, '__proto__'],
      [spec.replace('"base":{', '"base":{"__proto__":{"polluted":true},'), 'base.__proto__'],
      [spec.replace('"axes":{"model":[', '"axes":{"model":[{"constructor":{"prototype":{"polluted":true}}},'), 'axes.model.0.constructor'],
      [spec.replace('"base":{', '"base":{"prototype":1,'), 'base.prototype'],
    ] as const) {
      expect(refusal(await post(body)), body.slice(0, 60)).toMatchObject({ status: 400, code: 'API_ERR_FORBIDDEN_KEY', path });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses NUL and lone surrogates in any string or key, naming the field, for real submissions too', async () => {
    const withLabel = (label: string) => ({ ...validSpec(), axes: { model: ['mlp', { name: 'tiny_cnn', width: 4, label }] } });
    for (const [body, path, what] of [
      [{ ...validSpec(), name: 'a\u0000b' }, 'name', 'NUL'],
      [{ ...validSpec(), name: 'x\uD800' }, 'name', 'surrogate'],
      [{ ...validSpec(), description: '\uDC00' }, 'description', 'surrogate'],
      [withLabel('c\u0000nn'), 'axes.model.1.label', 'NUL'],
      [
        { ...validSpec(), base: { ...(validSpec().base as object), dataset: { name: 'image_folder', path: 'cats\u0000' } } },
        'base.dataset.path',
        'NUL',
      ],
      [{ ...validSpec(), 'bad\u0000key': 1 }, 'bad\\u0000key', 'NUL'],
    ] as const) {
      for (const url of ['/sweeps', '/sweeps?dryRun=true']) {
        const r = refusal(await post(body, url));
        expect(r, `${what} at ${path}`).toMatchObject({ status: 400, code: 'API_ERR_INVALID_STRING', path });
        expect(r.message).toMatch(what === 'NUL' ? /NUL/ : /surrogate/);
      }
    }
    expect(await testbed.env.db.sweep.count()).toBe(0);
  });

  it('answers malformed, empty, compressed, UTF-16 and non-JSON bodies in the API shape', async () => {
    const spec = JSON.stringify(validSpec());
    expect(refusal(await post('{"name": }'))).toMatchObject({ status: 400, code: 'API_ERR_INVALID_JSON' });
    expect(refusal(await post(''))).toMatchObject({ status: 400, code: 'API_ERR_INVALID_JSON' });
    expect(refusal(await post(spec, undefined, { 'content-encoding': 'gzip' }))).toMatchObject({
      status: 415,
      code: 'API_ERR_UNSUPPORTED_MEDIA_TYPE',
    });
    expect(refusal(await post(spec, undefined, { 'content-type': 'application/json; charset=utf-16' }))).toMatchObject({
      status: 415,
      code: 'API_ERR_UNSUPPORTED_MEDIA_TYPE',
    });
    expect(refusal(await post(spec, undefined, { 'content-type': 'multipart/form-data; boundary=x' }))).toMatchObject({
      status: 415,
      code: 'API_ERR_UNSUPPORTED_MEDIA_TYPE',
    });
    expect((await post(spec, undefined, { 'content-type': 'application/json; charset=UTF-8' })).statusCode).toBe(200);
    const big = JSON.stringify({ ...validSpec(), description: 'x'.repeat(6 * 1024 * 1024) });
    expect(refusal(await post(big))).toMatchObject({ status: 413, code: 'API_ERR_BODY_TOO_LARGE' });
    expect(refusal(await post({ ...validSpec(), seeds: Array.from({ length: 20_000 }, (_, i) => i) }))).toMatchObject({
      status: 400,
      code: 'API_ERR_TOO_MANY_ITEMS',
      path: 'seeds',
    });
  });

  it('answers specs the planner once threw on (a zip naming "variant" without variants) with a 400', async () => {
    const spec = validSpec();
    for (const body of [
      { ...spec, zip: [['variant', 'model']] },
      { ...spec, axes: { variant: ['mlp'], model: ['mlp'] }, zip: [['variant', 'model']] },
      { ...spec, variants: [{ label: 'a', set: {} }], include: [{ variant: {}, model: 'mlp' }] },
    ]) {
      expect(refusal(await post(body))).toMatchObject({ status: 400, code: 'SWEEP_ERR_INVALID_SPEC' });
    }
  });

  it('caps names and labels: a 10,000-character axis label is refused naming it and the limit', async () => {
    const r = refusal(await post({ ...validSpec(), axes: { model: ['mlp', { name: 'tiny_cnn', width: 4, label: 'L'.repeat(10_000) }] } }));
    expect(r).toMatchObject({ status: 400, code: 'SWEEP_ERR_INVALID_SPEC', path: 'axes.model.1.label' });
    expect(r.message).toContain(String(MAX_LABEL_LENGTH));
    expect(refusal(await post({ ...validSpec(), name: 'n'.repeat(MAX_NAME_LENGTH + 1) }))).toMatchObject({ status: 400, path: 'name' });
    expect(
      (await post({ ...validSpec(), axes: { model: ['mlp', { name: 'tiny_cnn', width: 4, label: 'L'.repeat(MAX_LABEL_LENGTH) }] } })).statusCode,
    ).toBe(200);
  });
});

describe('query strings and path parameters', () => {
  it('refuses repeated and bracketed parameters naming them, NUL in a query or an id, and parameters a route does not take', async () => {
    const { id } = (await post(validSpec('for queries'), '/sweeps')).json() as { id: string };
    const get = async (url: string) => refusal(await testbed.app.inject({ method: 'GET', url }));
    expect(await get('/sweeps?limit=1&limit=2')).toMatchObject({ status: 400, code: 'API_ERR_BAD_REQUEST', path: 'querystring.limit' });
    expect(await get(`/sweeps/${id}/table?metric[]=testTop1`)).toMatchObject({ status: 400, path: 'querystring.metric[]' });
    expect(await get('/sweeps?name=%00')).toMatchObject({ status: 400, code: 'API_ERR_INVALID_STRING', path: 'querystring.name' });
    expect(await get('/experiments/%00')).toMatchObject({ status: 400, code: 'API_ERR_INVALID_STRING', path: 'params.id' });
    expect(await get('/sweeps/%00/table')).toMatchObject({ status: 400, code: 'API_ERR_INVALID_STRING', path: 'params.id' });
    expect(await get(`/sweeps/${id}?__proto__[polluted]=1`)).toMatchObject({ status: 400, code: 'API_ERR_FORBIDDEN_KEY' });
    expect(await get(`/sweeps/${id}?verbose=1`)).toMatchObject({ status: 400, code: 'API_ERR_BAD_REQUEST', path: 'querystring.verbose' });
    expect(await get(`/sweeps/${'a'.repeat(101)}`)).toMatchObject({ status: 414, code: 'API_ERR_URI_TOO_LONG' });
    expect(await get('/sweeps/%ED%A0%80')).toMatchObject({ status: 400, code: 'API_ERR_BAD_REQUEST' });
    expect((await testbed.app.inject({ method: 'GET', url: `/sweeps/${id}` })).statusCode).toBe(200);
  });

  it("answers Node's own refusals (431, malformed requests) in the API shape, with the security headers", async () => {
    const address = await testbed.app.listen({ port: 0, host: '127.0.0.1' });
    const base = new URL(address);
    for (const [bytes, status, code] of [
      [`GET /sweeps HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(20_000)}\r\n\r\n`, 431, 'API_ERR_HEADERS_TOO_LARGE'],
      [`GET /sweeps/${'u'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431, 'API_ERR_HEADERS_TOO_LARGE'],
      ['GET /health HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n', 400, 'API_ERR_BAD_REQUEST'],
      ['POST /sweeps HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n{}', 400, 'API_ERR_BAD_REQUEST'],
    ] as const) {
      const a = await sendRaw(base, Buffer.from(bytes));
      expect(a.status).toBe(status);
      expect(JSON.parse(a.body)).toMatchObject({ statusCode: status, code });
      expect(a.headers['x-content-type-options']).toBe('nosniff');
    }
  });
});

describe('image_folder paths', () => {
  let env: TestEnv;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let root: string;
  const roots = () => ({ dataDir: join(root, 'data'), roots: [join(root, 'data'), join(root, 'extra')] });
  const dry = (path: string) =>
    app.inject({
      method: 'POST',
      url: '/sweeps?dryRun=true',
      payload: { ...validSpec(), base: { ...(validSpec().base as object), dataset: { name: 'image_folder', path, size: 8 } } },
    });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'ablate-roots-'));
    mkdirSync(join(root, 'data', 'cats', 'a'), { recursive: true });
    mkdirSync(join(root, 'extra', 'dogs'), { recursive: true });
    for (let i = 0; i < 12; i++) mkdirSync(join(root, 'outside', `class${i}`), { recursive: true });
    writeFileSync(join(root, 'outside', 'secret.txt'), 'x');
    symlinkSync(join(root, 'outside'), join(root, 'data', 'link-out'));
    symlinkSync(join(root, 'extra', 'dogs'), join(root, 'data', 'link-in'));
    env = await setupTestEnv();
    app = await buildApp({ db: env.db, trialQueue: env.queue, auth: 'off', dataRoots: roots() });
  });
  afterAll(async () => {
    await app?.close();
    await env?.close();
  });

  it('accepts paths inside the roots (relative to ABLATE_DATA_DIR, absolute in ABLATE_DATA_ROOTS, a symlink that stays in)', async () => {
    for (const p of ['cats', 'cats/a', 'not-there-yet', join(root, 'extra', 'dogs'), 'link-in', './cats/../cats'])
      expect((await dry(p)).statusCode, p).toBe(200);
  });

  it('refuses everything else with one answer that says nothing about the disk', async () => {
    const bodies = new Set<string>();
    for (const p of [
      '..',
      '../outside',
      '../outside/secret.txt',
      join(root, 'outside'),
      join(root, 'no-such-folder'),
      '/etc',
      '/etc/passwd',
      '/nonexistent/deep/path',
      'link-out',
      'link-out/class3',
      'link-out/nothing-here',
      'cats/../../outside',
    ]) {
      const r = await dry(p);
      expect(r.statusCode, p).toBe(400);
      expect(r.json()).toMatchObject({ code: 'DATASET_ERR_PATH', message: DATA_PATH_REFUSED });
      bodies.add(r.body);
    }
    expect(bodies.size).toBe(1);
    expect([...bodies][0]).not.toContain(root);
  });

  it('the worker checks again before reading: a path outside fails the trial with the same message', async () => {
    const ctx = { dataDir: join(root, 'data'), dataRoots: [join(root, 'extra')], download: false };
    for (const path of ['../outside', join(root, 'outside'), 'link-out', 'nothing'])
      await expect(imageFolderDataset({ path, size: 8, testFraction: 0.2, dataSeed: 0 }, ctx), path).rejects.toMatchObject({
        code: 'ERR_DATASET_UNAVAILABLE',
        message: DATA_PATH_REFUSED,
      });
    // Inside the roots it reads, and names files by the path as given, not where it resolved.
    await expect(imageFolderDataset({ path: 'cats', size: 8, testFraction: 0.2, dataSeed: 0 }, ctx)).rejects.toMatchObject({
      message: expect.stringMatching(/^cats: needs at least two class subfolders/),
    });
  });
});

describe('exposure', () => {
  it('artifact references are opaque store keys: a server path stored by an old worker is withheld', async () => {
    const { id } = (await post(validSpec('for artifacts'), '/sweeps')).json() as { id: string };
    const trial = await testbed.env.db.sweepTrial.findFirstOrThrow({ where: { sweepId: id } });
    await testbed.env.db.artifact.createMany({
      data: [
        { trialId: trial.trialId, kind: 'checkpoint', uri: `trials/${trial.trialId}/checkpoints/a1-e00001-b0000000.ckpt` },
        { trialId: trial.trialId, kind: 'tensorboard', uri: '/home/lab/.cache/ablate/runs/x/tensorboard' },
      ],
    });
    const r = await testbed.app.inject({ method: 'GET', url: `/experiments/${trial.trialId}` });
    const uris = Object.fromEntries((r.json() as { artifacts: { kind: string; uri: string | null }[] }).artifacts.map((a) => [a.kind, a.uri]));
    expect(uris).toEqual({ checkpoint: `trials/${trial.trialId}/checkpoints/a1-e00001-b0000000.ckpt`, tensorboard: null });
    expect(r.body).not.toContain('/home/');
  });

  it('every answer carries the security headers; the dashboard keeps its own CSP', async () => {
    const answers = [
      await testbed.app.inject({ method: 'GET', url: '/sweeps' }),
      await testbed.app.inject({ method: 'GET', url: '/nope' }),
      await testbed.app.inject({ method: 'GET', url: '/sweeps', headers: { authorization: '' } }),
      await testbed.app.inject({ method: 'GET', url: '/health', headers: { authorization: '' } }),
      await post('{'),
    ];
    for (const a of answers)
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(a.headers[name], `${a.statusCode} ${name}`).toBe(value);
    const page = await testbed.app.inject({ method: 'GET', url: '/', headers: { authorization: '' } });
    if (page.statusCode === 200) expect(page.headers['content-security-policy']).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('/health answers a caller without a key only up or down', async () => {
    const r = await testbed.app.inject({ method: 'GET', url: '/health', headers: { authorization: '' } });
    expect([r.statusCode, r.json()]).toEqual([200, { status: 'ok' }]);
  });

  it('CORS is off unless ABLATE_CORS_ORIGINS names origins, and then answers only those', async () => {
    const origin = 'https://lab.example.org';
    const off = await testbed.app.inject({ method: 'GET', url: '/sweeps', headers: { origin } });
    expect(off.headers['access-control-allow-origin']).toBeUndefined();
    expect(
      (await testbed.app.inject({ method: 'OPTIONS', url: '/sweeps', headers: { origin, 'access-control-request-method': 'POST' } })).statusCode,
    ).toBe(404);

    const env = await setupTestEnv();
    const app = await buildApp({ db: env.db, trialQueue: env.queue, corsOrigins: [origin] });
    try {
      // A preflight carries no key: it is answered before authentication.
      const pre = await app.inject({
        method: 'OPTIONS',
        url: '/sweeps',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(pre.statusCode).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe(origin);
      expect(String(pre.headers['access-control-allow-headers'])).toContain('authorization');
      const other = await app.inject({
        method: 'OPTIONS',
        url: '/sweeps',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      expect((await app.inject({ method: 'GET', url: '/health', headers: { origin } })).headers['access-control-allow-origin']).toBe(origin);
    } finally {
      await app.close();
      await env.close();
    }
    expect(() => parseEnv({ DATABASE_URL: 'postgresql://x@h/db', ABLATE_CORS_ORIGINS: 'https://lab.example.org/' })).toThrow(/not an origin/);
    expect(parseEnv({ DATABASE_URL: 'postgresql://x@h/db' }).ABLATE_CORS_ORIGINS).toEqual([]);
  });

  it('data roots are validated at start, in the API and the worker', () => {
    expect(() => parseEnv({ DATABASE_URL: 'postgresql://x@h/db', ABLATE_DATA_ROOTS: '/data:relative/path' })).toThrow(/ABLATE_DATA_ROOTS/);
    const worker = WorkerEnv.safeParse({ DATABASE_URL: 'postgresql://x@h/db', ABLATE_DATA_DIR: 'datasets' });
    expect(worker.success).toBe(false);
    expect(WorkerEnv.safeParse({ DATABASE_URL: 'postgresql://x@h/db', ABLATE_DATA_ROOTS: '/data:/mnt/images' }).success).toBe(true);
  });

  it('logs redact the authorization header, cookies and credentials in URLs', async () => {
    const SECRET = 'hunter2-secret';
    expect(redactUrl(`/sweeps?name=x&api_key=${SECRET}&token=${SECRET}`)).toBe('/sweeps?name=x&api_key=***&token=***');
    expect(redactUrl(`/x?next=${encodeURIComponent(`https://u:${SECRET}@h/`)}`)).not.toContain(SECRET);
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const env = await setupTestEnv();
    const app = await buildApp({ db: env.db, trialQueue: env.queue, logger: { level: 'info', ...apiLogOptions, stream } as never });
    try {
      await app.inject({
        method: 'GET',
        url: `/health?access_token=${SECRET}`,
        headers: { authorization: `Bearer ${SECRET}`, cookie: `sid=${SECRET}` },
      });
      await app.inject({ method: 'GET', url: `/sweeps?password=${SECRET}`, headers: { authorization: `Bearer ${SECRET}` } });
    } finally {
      await app.close();
      await env.close();
    }
    const log = lines.join('');
    expect(log).toContain('incoming request');
    expect(log).toContain('access_token=***');
    expect(log).not.toContain(SECRET);
    const mem = pino({ level: 'info', ...apiLogOptions }, stream);
    mem.info({ req: { headers: { authorization: `Bearer ${SECRET}`, cookie: SECRET, 'x-api-key': SECRET } } }, 'headers');
    expect(lines.join('')).not.toContain(SECRET);
  });
});
