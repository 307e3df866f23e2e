// The web dashboard (apps/dashboard, built into its dist/ by `npm run build:dashboard`) served at /: GET / its
// index.html, GET /assets/<file> its content-hashed bundle, cached for a year. Hidden from the OpenAPI document.
// Without a build, / answers a page saying how to make one; the API itself keeps working.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';

/** Where `npm run build:dashboard` writes the dashboard. */
export const DASHBOARD_DIST = fileURLToPath(new URL('../../../dashboard/dist', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** One file name: no slash (so no directory and no `..`), no leading dot. */
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** The page loads only its own bundle and talks only to this API (plots are blob: URLs of SVGs fetched from it). */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ablate: dashboard not built</title></head>
<body><h1>The dashboard is not built</h1>
<p>Run <code>npm run build:dashboard</code> in the repository (<code>npm install</code> runs it too), then reload this page.</p>
<p>The API works without it: see <a href="/docs">/docs</a>.</p></body></html>
`;

export interface DashboardOptions {
  /** The built dashboard (default: apps/dashboard/dist). */
  dir?: string;
}

export const dashboardPlugin: FastifyPluginAsync<DashboardOptions> = async (app, opts) => {
  const dir = opts.dir ?? DASHBOARD_DIST;

  // Read on each request (it is small), so a build made while the API runs is served at once.
  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    let html: string;
    try {
      html = await readFile(join(dir, 'index.html'), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      return reply.status(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').header('content-security-policy', CSP).send(html);
  });

  app.get('/assets/*', { schema: { hide: true } }, async (request, reply) => {
    const name = (request.params as { '*': string })['*'];
    const type = CONTENT_TYPES[extname(name)];
    if (!type || !ASSET_NAME.test(name)) return reply.callNotFound();
    const path = join(dir, 'assets', name);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return reply.callNotFound();
    return reply
      .type(type)
      .header('content-length', info.size)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(createReadStream(path));
  });
};
