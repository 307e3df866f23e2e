// The dashboard plugin without a browser: / serves the built index.html that references the bundle, the bundle's
// assets come with their content-type and a year-long cache, nothing outside dist/assets is reachable (raw HTTP, so no
// client normalizes the path first), and without a build / says how to make one. Real build (esbuild), real app.
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, type DashboardBuild } from '../../dashboard/build.js';
import { METRIC_TITLES } from '../../dashboard/src/metrics.js';
import { useTestApp } from '../../../tests/helpers/index.js';
import { registerErrorHandler } from '../src/plugins/error-handler.js';
import { dashboardPlugin } from '../src/plugins/dashboard.js';
import { TABLE_METRICS } from '../src/tables/metrics.js';

let dir = '';
let built: DashboardBuild;
let app: FastifyInstance;
let port = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ablate-dashboard-'));
  built = await buildDashboard(join(dir, 'dist'));
  // A file with an asset's extension just outside dist/assets: what a traversal would reach.
  await writeFile(join(dir, 'dist', 'secret.js'), 'SECRET');
  app = Fastify();
  registerErrorHandler(app);
  await app.register(dashboardPlugin, { dir: join(dir, 'dist') });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Sends the request line exactly as written (fetch and inject would resolve `..` first); returns status and body. */
function raw(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
    let text = '';
    socket.on('data', (d) => {
      text += d.toString('latin1');
    });
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.on('error', reject);
  });
}

function get(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('the dashboard plugin', () => {
  it('serves index.html at / referencing the hashed bundle, with a CSP that allows only this origin', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(built.js).toMatch(/^assets\/app-[A-Z0-9]{8}\.js$/);
    expect(built.css).toMatch(/^assets\/app-[A-Z0-9]{8}\.css$/);
    expect(r.body).toContain(`<script defer src="/${built.js}"></script>`);
    expect(r.body).toContain(`<link rel="stylesheet" href="/${built.css}">`);
    expect(r.body).not.toMatch(/https?:\/\//);
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['content-security-policy']).toContain("connect-src 'self'");
  });

  it('serves each asset with its content-type, length and a year-long immutable cache', async () => {
    for (const [path, type] of [
      [built.js, 'text/javascript; charset=utf-8'],
      [built.css, 'text/css; charset=utf-8'],
    ] as const) {
      const r = await get(`/${path}`);
      expect(r.status, path).toBe(200);
      expect(r.headers['content-type'], path).toBe(type);
      expect(r.headers['cache-control'], path).toBe('public, max-age=31536000, immutable');
      expect(r.headers['x-content-type-options'], path).toBe('nosniff');
      const file = await readFile(join(dir, 'dist', path), 'utf8');
      expect(r.body, path).toBe(file);
      expect(Number(r.headers['content-length']), path).toBe(Buffer.byteLength(file));
    }
    // Minified: one bundle, small.
    expect(built.bytes.js).toBeLessThan(100 * 1024);
    expect(built.bytes.css).toBeLessThan(20 * 1024);
  });

  it('refuses every path out of dist/assets, encoded or not, and files it does not serve', async () => {
    const attempts = [
      '/assets/../package.json',
      '/assets/../secret.js',
      '/assets/..%2Fsecret.js',
      '/assets/%2e%2e%2fsecret.js',
      '/assets/%2E%2E/secret.js',
      '/assets/..%5Csecret.js',
      '/assets/../../../../../../etc/passwd',
      '/assets/./../secret.js',
      '/assets//etc/passwd',
      '/assets/%2Fetc%2Fpasswd',
      '/assets/.hidden.js',
      '/assets/',
      '/assets/missing-00000000.js',
      '/assets/app.exe',
    ];
    for (const path of attempts) {
      const r = await raw(path);
      expect([400, 404], path).toContain(r.status);
      expect(r.body, path).not.toContain('SECRET');
      expect(r.body, path).not.toContain('root:');
      expect(r.body, path).not.toContain('"workspaces"');
    }
    // And through inject, which resolves dot segments itself.
    const r = await app.inject({ method: 'GET', url: '/assets/../secret.js' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ code: 'API_ERR_NOT_FOUND' });
  });

  it('answers / with a page saying how to build the dashboard when dist/ is missing, and keeps serving the API', async () => {
    const bare = Fastify();
    registerErrorHandler(bare);
    await bare.register(dashboardPlugin, { dir: join(dir, 'not-built') });
    bare.get('/ping', async () => ({ ok: true }));
    const r = await bare.inject({ method: 'GET', url: '/' });
    expect(r.statusCode).toBe(503);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toContain('npm run build:dashboard');
    expect((await bare.inject({ method: 'GET', url: `/${built.js}` })).statusCode).toBe(404);
    expect((await bare.inject({ method: 'GET', url: '/ping' })).json()).toEqual({ ok: true });
    await bare.close();
  });

  it('offers the same table metrics as the API, with the same titles', () => {
    expect(METRIC_TITLES).toEqual(Object.fromEntries(Object.entries(TABLE_METRICS).map(([name, m]) => [name, m.title])));
  });
});

describe('the API app', () => {
  const testbed = useTestApp();

  it('serves the dashboard at / and keeps it out of the OpenAPI document', async () => {
    await buildDashboard();
    const r = await testbed.app.inject({ method: 'GET', url: '/' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/<script defer src="\/assets\/app-[A-Z0-9]{8}\.js"><\/script>/);
    const asset = /src="(\/assets\/[^"]+)"/.exec(r.body)![1]!;
    expect((await testbed.app.inject({ method: 'GET', url: asset })).statusCode).toBe(200);
    const doc = (await testbed.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/sweeps');
    expect(Object.keys(doc.paths).filter((p) => p === '/' || p.startsWith('/assets'))).toEqual([]);
  }, 60_000);
});
