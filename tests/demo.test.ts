// The README's demo path on the embedded defaults: embedded Postgres, BullMQ on Postgres, API and a worker as
// processes, a sweep submitted over HTTP, the table and its summary line printed (npm run demo runs sweeps/demo.json).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/index.js';

describe('ablate demo', () => {
  it('starts everything it needs without Docker, Redis or a Postgres server, and prints the table with a line saying what it shows', async () => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'apps/cli/src/main.ts', 'demo', '--sweep', 'tests/fixtures/tiny-sweep.json', '--workers', '1'],
      { cwd: ROOT, env },
    );
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
    // The line under the table names the higher and the lower row with the table's own numbers, and, with one seed per
    // row here, claims nothing about the spread.
    const rows = [...out.matchAll(/^\| (mlp|tiny_cnn\(width=4\)) \| (\d+\.\d\d) \| 1 \|$/gm)].map((m) => ({ label: m[1]!, top1: Number(m[2]) }));
    expect(rows).toHaveLength(2);
    const [hi, lo] = rows[0]!.top1 >= rows[1]!.top1 ? [rows[0]!, rows[1]!] : [rows[1]!, rows[0]!];
    const line =
      /^What it shows: best model=(\S+) at (\d+\.\d\d) %, worst model=(\S+) at (\d+\.\d\d) %: a (\d+\.\d\d)-point gap; with one seed in each row, the seeds' spread is unknown/m.exec(
        out,
      );
    expect(line, out).not.toBeNull();
    const [, best, bestTop1, worst, worstTop1, gap] = line!;
    expect([best, Number(bestTop1), worst, Number(worstTop1)]).toEqual([hi.label, hi.top1, lo.label, lo.top1]);
    // Computed from the unrounded means: within a rounding step of the printed ones' difference.
    expect(Math.abs(Number(gap) - (hi.top1 - lo.top1))).toBeLessThanOrEqual(0.011);
  }, 180_000);
});
