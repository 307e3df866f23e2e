// The test command checked on known outcomes: scripts/test.mjs runs the fixture files in tests/meta/fixtures (their own
// vitest config, no Postgres) and must print the exact closing line and exit code, so a failing hook reads as a failure.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = join(ROOT, 'tests/meta/fixtures');
// Another version of the script, only to show that these checks fail on it (e.g. the committed one).
const SCRIPT = process.env.ABLATE_META_TEST_SCRIPT ?? join(ROOT, 'scripts/test.mjs');
const CLOSING_LINE = /^\d+ passed, \d+ failed, \d+ skipped$/;

interface Outcome {
  status: number | null;
  lastLine: string;
  closingLines: string[];
  /** The lines under "counted as failed:", sorted (vitest may finish the files in any order). */
  countedAsFailed: string[];
  output: string;
}

/** Runs the test command in the fixtures folder (so vitest picks up their config) and keeps what it printed. */
function runTestCommand(args: string[]): Promise<Outcome> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], { cwd: FIXTURES, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      output += d;
    });
    child.stderr.on('data', (d) => (output += d));
    child.on('error', fail);
    child.on('close', (status) => {
      const lines = stdout.trimEnd().split('\n');
      const from = lines.lastIndexOf('counted as failed:');
      const to = lines.indexOf('', from);
      const countedAsFailed =
        from < 0
          ? []
          : lines
              .slice(from + 1, to < 0 ? undefined : to)
              .map((l) => l.trim())
              .sort();
      done({ status, lastLine: lines.at(-1) ?? '', closingLines: lines.filter((l) => CLOSING_LINE.test(l)), countedAsFailed, output });
    });
  });
}

/** The closing line is the last line and the only one; the exit code and what was counted as failed match. */
async function expectOutcome(args: string[], want: { line: string; status: number; failures: string[] }): Promise<Outcome> {
  const o = await runTestCommand(args);
  const seen = `${o.output}\n(exit code ${o.status})`;
  expect(o.lastLine, seen).toBe(want.line);
  expect(o.closingLines, seen).toEqual([want.line]);
  expect(o.status, seen).toBe(want.status);
  expect(o.countedAsFailed, seen).toEqual([...want.failures].sort());
  return o;
}

// What each fixture must count as failed: the error of a hook is one failure, each test its failed suite kept from
// running is another, each unhandled error one more.
const BEFORE_ALL = [
  'before-all.fixture.ts > a stack that cannot start: fixture: beforeAll failed',
  'before-all.fixture.ts > a stack that cannot start > would use the stack: not run, its suite failed',
  'before-all.fixture.ts > a stack that cannot start > would use it again: not run, its suite failed',
];
const AFTER_ALL = ['after-all.fixture.ts: fixture: afterAll failed'];
const UNHANDLED = ['unhandled error: fixture: unhandled rejection'];
const LOAD_ERROR = ['load-error.fixture.ts: fixture: the file fails to load'];

const SCENARIOS = [
  // 1 passing test outside the suite; the 2 tests the beforeAll kept from running + the beforeAll itself.
  { name: 'a failing beforeAll', files: ['before-all.fixture.ts'], line: '1 passed, 3 failed, 0 skipped', status: 1, failures: BEFORE_ALL },
  // 3 passing tests; the afterAll's error.
  { name: 'a failing afterAll', files: ['after-all.fixture.ts'], line: '3 passed, 1 failed, 0 skipped', status: 1, failures: AFTER_ALL },
  // 1 passing test; the rejection nobody awaited.
  { name: 'an unhandled rejection', files: ['unhandled.fixture.ts'], line: '1 passed, 1 failed, 0 skipped', status: 1, failures: UNHANDLED },
  // 1 passing test; .skip, .todo and the test of a describe.skip.
  { name: 'tests skipped on purpose', files: ['skip.fixture.ts'], line: '1 passed, 0 failed, 3 skipped', status: 0, failures: [] },
  { name: 'all passing (the control)', files: ['pass.fixture.ts'], line: '2 passed, 0 failed, 0 skipped', status: 0, failures: [] },
  // The above plus load-error.fixture.ts (1 failed, no test collected): 1+3+1+1+2 passed, 3+1+1+1 failed, 3 skipped.
  {
    name: 'all fixtures at once',
    files: [],
    line: '8 passed, 6 failed, 3 skipped',
    status: 1,
    failures: [...BEFORE_ALL, ...AFTER_ALL, ...UNHANDLED, ...LOAD_ERROR],
  },
  // vitest exits 1 ("No test files found") and reports nothing to count: still a failure.
  {
    name: 'no test file matched',
    files: ['no-such.fixture.ts'],
    line: '0 passed, 1 failed, 0 skipped',
    status: 1,
    failures: ['vitest exited with code 1'],
  },
];

describe('the closing line of scripts/test.mjs', () => {
  for (const s of SCENARIOS) {
    it(s.name, async () => {
      await expectOutcome(['--no-static', ...s.files], s);
    });
  }
});

describe('the typecheck in scripts/test.mjs', () => {
  let dir = '';
  const project = (name: string, source: string) => {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'index.ts'), source);
    const compilerOptions = { strict: true, noEmit: true, target: 'es2023', lib: ['es2023'], types: [], skipLibCheck: true };
    writeFileSync(join(dir, name, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['index.ts'] }));
    return join(dir, name, 'tsconfig.json');
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ablate-meta-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts a project with a type error as one failed test and shows the error', async () => {
    const tsconfig = project('broken', "export const n: number = 'not a number';\n");
    // 2 passing fixture tests; the typecheck.
    const o = await expectOutcome(['--static=typecheck', `--tsconfig=${tsconfig}`, 'pass.fixture.ts'], {
      line: '2 passed, 1 failed, 0 skipped',
      status: 1,
      failures: ['static check typecheck'],
    });
    expect(o.output).toContain('error TS2322');
  });

  it('counts a clean project as one passed test', async () => {
    const tsconfig = project('clean', 'export const n: number = 1;\n');
    await expectOutcome(['--static=typecheck', `--tsconfig=${tsconfig}`, 'pass.fixture.ts'], {
      line: '3 passed, 0 failed, 0 skipped',
      status: 0,
      failures: [],
    });
  });
});
