// Credentials never reach an answer or a log line: /health names the dependency that is down without its internals,
// the migrator's errors and the loggers redact URL passwords and bearer tokens.
import { Writable } from 'node:stream';
import { createDatabase, createDb, migrate } from '@ablate/db';
import { openTrialQueue } from '@ablate/queue';
import { redactingLogOptions, redactSecrets } from '@ablate/spec';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../cli/src/commands/services.js';
import { buildApp } from '../src/app.js';

const SECRET = 's3cret-pw';

/** A pino destination that keeps every line. */
function memoryStream() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => lines.join('') };
}

describe('redaction', () => {
  it('redacts URL passwords and bearer tokens in free text', () => {
    expect(redactSecrets(`connect to postgresql://ablate:${SECRET}@db:5432/ablate and redis://:${SECRET}@q:6379 with Bearer abc.def`)).toBe(
      'connect to postgresql://ablate:***@db:5432/ablate and redis://:***@q:6379 with Bearer ***',
    );
    expect(redactSecrets('postgresql://postgres@127.0.0.1:5432/x')).toBe('postgresql://postgres@127.0.0.1:5432/x');
  });

  it('keeps credentials out of every log line: headers, URL fields, error messages, stacks and causes', () => {
    const mem = memoryStream();
    const log = pino({ level: 'info', ...redactingLogOptions }, mem.stream);
    log.info({ req: { method: 'GET', headers: { authorization: `Bearer ${SECRET}`, cookie: `sid=${SECRET}` } } }, 'request');
    log.info({ databaseUrl: `postgresql://u:${SECRET}@h/db`, env: { REDIS_URL: `redis://:${SECRET}@h:6379` } }, 'config');
    log.error({ err: new Error(`cannot reach postgresql://u:${SECRET}@h/db`, { cause: new Error(`redis://:${SECRET}@h`) }) }, 'failed');
    const out = mem.text();
    expect(out.split('\n').filter(Boolean)).toHaveLength(3);
    expect(out).not.toContain(SECRET);
    expect(out).toContain('postgresql://u:***@h/db');
  });

  it('the migrator never puts a password in its errors', async () => {
    const port = await freePort();
    const messages: string[] = [];
    for (const attempt of [
      () => createDatabase(`postgresql://ablate:${SECRET}@127.0.0.1:${port}`),
      () => createDatabase(`postgresql://ablate:${SECRET}@127.0.0.1:${port}/ablate`),
      () => migrate(`postgresql://ablate:${SECRET}@127.0.0.1:${port}/ablate`),
      () => createDatabase(`postgresql://ablate:${SECRET}@[not a host/ablate`),
    ]) {
      const err = await attempt().then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(Error);
      messages.push(`${err!.message}\n${JSON.stringify(err)}`);
    }
    for (const m of messages) expect(m).not.toContain(SECRET);
    expect(messages[0]).toContain('has no database name: postgresql://ablate:***@127.0.0.1');
    expect(messages[2]).toContain(`cannot connect to postgresql://ablate:***@127.0.0.1:${port}/ablate`);
  });

  it('/health answers 503 naming the dependency that is down, with no host, port, password or driver text', async () => {
    const [pgPort, redisPort] = [await freePort(), await freePort()];
    const db = createDb(`postgresql://ablate:${SECRET}@127.0.0.1:${pgPort}/ablate`);
    const trialQueue = openTrialQueue({ kind: 'redis', url: `redis://:${SECRET}@127.0.0.1:${redisPort}`, prefix: 'ablate-test-health' });
    const mem = memoryStream();
    const app = await buildApp({ db, trialQueue, logger: { level: 'warn', ...redactingLogOptions, stream: mem.stream } as never });
    try {
      const r = await app.inject({ method: 'GET', url: '/health' });
      expect(r.statusCode).toBe(503);
      expect(r.json()).toEqual({ status: 'degraded' });
      expect(r.body).not.toMatch(new RegExp(`${SECRET}|${pgPort}|${redisPort}|127\\.0\\.0\\.1|ECONNREFUSED`));
      // Which dependency is down, and why, is in the server's log, redacted.
      expect(mem.text()).toContain('health check failed');
      expect(mem.text()).toContain('"dependency":"db"');
      expect(mem.text()).toContain('"dependency":"queue"');
      expect(mem.text()).not.toContain(SECRET);
    } finally {
      await app.close();
      await Promise.race([trialQueue.close(), new Promise((r) => setTimeout(r, 2_000))]);
      await db.$disconnect();
    }
  });
});
