// The README's demo path on the embedded defaults: embedded Postgres, BullMQ on Postgres, API and a worker
// as processes, a sweep submitted over HTTP, the table printed. (The full `npm run demo` uses sweeps/demo.json.)
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/index.js';

describe('ablate demo', () => {
  it('starts everything it needs without Docker, Redis or a Postgres server, and prints the table', async () => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', 'demo', '--sweep', 'tests/fixtures/tiny-sweep.json', '--workers', '1'], { cwd: ROOT, env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code, out).toBe(0);
    expect(out).toContain('starting embedded Postgres');
    expect(out).toContain('queue: BullMQ on Postgres');
    expect(out).toMatch(/\[2\/2\] done 2/);
    expect(out).toContain('| model | top-1 (%) | n |');
    expect(out).toMatch(/\| mlp \| \d+\.\d\d \| 1 \|/);
    expect(out).toMatch(/\| tiny_cnn\(width=4\) \| \d+\.\d\d \| 1 \|/);
  }, 180_000);
});
