// Headers every answer carries (API JSON, plots, the dashboard, errors, the event stream): no MIME sniffing, never
// framed, no referrer; and CORS only for the origins ABLATE_CORS_ORIGINS names (none by default: a browser page from
// another origin cannot read any answer). The dashboard's own CSP on `/` replaces the default `frame-ancestors` one.
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "frame-ancestors 'none'",
};

export interface SecurityOptions {
  /** Origins (`https://lab.example.org`) whose pages may call the API from a browser; empty: CORS off. */
  corsOrigins?: readonly string[];
}

/**
 * Sets the headers on the raw response as the request arrives, so they reach every answer, including those written
 * before routing (auth refusals) and streams that bypass Fastify's reply (SSE); headers a route sets itself win.
 * Register it before any hook that may answer early.
 */
export async function registerSecurityHeaders(app: FastifyInstance, o: SecurityOptions = {}): Promise<void> {
  app.addHook('onRequest', async (_request, reply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.raw.setHeader(name, value);
  });
  if (o.corsOrigins?.length) {
    await app.register(cors, {
      origin: [...o.corsOrigins],
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'last-event-id'],
      exposedHeaders: ['etag', 'idempotent-replayed'],
      maxAge: 600,
    });
  }
}
