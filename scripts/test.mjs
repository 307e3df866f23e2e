// The test command (`npm test`): runs the static checks (STATIC_CHECKS below: the typecheck and the linter/formatter,
// each over the whole monorepo) and vitest, prints ONE closing line "N passed, N failed, N skipped", and exits 0 only
// when N failed is 0.
//
// What it counts (CI reads that line through .ci/run, never vitest's own summary):
// - each static check is one test: passed when its command exits 0, failed otherwise; its output is shown;
// - each vitest test that passed: passed; that failed: failed;
// - each test skipped on purpose (.skip, .todo, skipIf, a skipped suite, ctx.skip(), -t filters): skipped;
// - each test that was meant to run but did not because its suite or file failed (a throwing beforeAll): failed;
// - each error vitest attaches to a file or suite (a throwing beforeAll/afterAll, a file that fails to load): one
//   failed more, so a failing afterAll after passing tests is counted too;
// - each unhandled error or rejection: one failed;
// - each test or file that never finished (a crashed worker, an interrupted run): one failed each;
// - no report from vitest, or vitest exiting non-zero with nothing above counted: one failed.
// The counts come from scripts/test-reporter.mjs, a vitest reporter the script installs in the vitest it starts:
// vitest's JSON report cannot tell a test skipped by a failed beforeAll from a .skip and leaves unhandled errors out.
// The static checks run while vitest runs (measured faster on 2 cores); their output and a "counted as failed:" list
// come after vitest's, right above the closing line.
//
// Flags (everything else is passed to `vitest run`: file filters, -t, --root, --config, …):
//   --no-static          run no static check (same as --static=none)
//   --static=a,b         run only the named static checks (names: see STATIC_CHECKS)
//   --tsconfig=path      the project the typecheck checks (default: the repository's tsconfig.json)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COUNTS_ENV } from './test-reporter.mjs';

const SELF = fileURLToPath(import.meta.url);
const ROOT = dirname(dirname(SELF));
const BIN = join(ROOT, 'node_modules', '.bin');
const REPORTER = join(ROOT, 'scripts', 'test-reporter.mjs');

/** Runs a command; resolves with its exit status (non-zero when it could not start or died by a signal) and its output. */
function run(argv, { capture, env } = {}) {
  return new Promise((done) => {
    const started = Date.now();
    let output = '';
    const child = spawn(argv[0], argv.slice(1), { stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: env ?? process.env });
    if (capture) {
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
    }
    child.on('error', (e) => {
      output += `could not start ${argv[0]}: ${e.message}\n`;
    });
    child.on('close', (code) => done({ status: code ?? 1, output, seconds: (Date.now() - started) / 1000 }));
  });
}

function parseFlags(args) {
  const flags = { static: undefined, tsconfig: join(ROOT, 'tsconfig.json'), vitest: [] };
  for (const a of args) {
    const value = a.slice(a.indexOf('=') + 1);
    if (a === '--no-static') flags.static = [];
    else if (a.startsWith('--static=')) flags.static = value.split(',').filter((n) => n && n !== 'none');
    else if (a.startsWith('--tsconfig=')) flags.tsconfig = resolve(value);
    else flags.vitest.push(a);
  }
  return flags;
}

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  // The static checks: each is one test in the closing line; add a check by adding an entry.
  const STATIC_CHECKS = [
    { name: 'typecheck', argv: [join(BIN, 'tsc'), '-p', flags.tsconfig] },
    // Lint and format (biome.json), read-only: `npm run format` applies the fixes it can.
    { name: 'lint', argv: [join(BIN, 'biome'), 'ci', ROOT] },
  ];
  const unknown = (flags.static ?? []).filter((n) => !STATIC_CHECKS.some((s) => s.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`unknown static check(s): ${unknown.join(', ')}; known: ${STATIC_CHECKS.map((s) => s.name).join(', ')}\n`);
    process.stdout.write('\n0 passed, 1 failed, 0 skipped\n');
    process.exitCode = 1;
    return;
  }
  const checks = STATIC_CHECKS.filter((s) => flags.static === undefined || flags.static.includes(s.name));

  const dir = mkdtempSync(join(tmpdir(), 'ablate-test-'));
  const countsFile = join(dir, 'counts.json');
  const vitestArgv = [join(BIN, 'vitest'), 'run', '--reporter=default', `--reporter=${REPORTER}`, ...flags.vitest];
  // Static checks run beside vitest: its output streams, theirs is shown when all have finished.
  const [vitest, ...results] = await Promise.all([
    run(vitestArgv, { env: { ...process.env, [COUNTS_ENV]: countsFile } }),
    ...checks.map((s) => run(s.argv, { capture: true })),
  ]);

  let counts;
  try {
    counts = JSON.parse(readFileSync(countsFile, 'utf8'));
  } catch {
    counts = { passed: 0, failed: 1, skipped: 0, failures: ['vitest wrote no report (see its output above)'] };
  }
  rmSync(dir, { recursive: true, force: true });
  if (vitest.status !== 0 && counts.failed === 0) {
    counts.failed = 1;
    counts.failures.push(`vitest exited with code ${vitest.status}`);
  }

  checks.forEach((s, i) => {
    const r = results[i];
    const verdict = r.status === 0 ? 'passed' : `failed (exit code ${r.status})`;
    process.stdout.write(`\n── ${s.name}: ${verdict}, ${r.seconds.toFixed(1)} s (${s.argv.map((a) => a.replace(`${ROOT}/`, '')).join(' ')})\n`);
    if (r.output.trim()) process.stdout.write(r.output.endsWith('\n') ? r.output : `${r.output}\n`);
    if (r.status === 0) counts.passed++;
    else {
      counts.failed++;
      counts.failures.push(`static check ${s.name}`);
    }
  });

  if (counts.failures.length > 0) {
    const shown = counts.failures.slice(0, 40);
    process.stdout.write(`\ncounted as failed:\n${shown.map((f) => `  ${f}\n`).join('')}`);
    if (counts.failures.length > shown.length) process.stdout.write(`  … and ${counts.failures.length - shown.length} more\n`);
  }
  process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  process.exitCode = counts.failed === 0 ? 0 : 1;
}

await main();
