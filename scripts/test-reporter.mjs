// The vitest reporter behind `npm test`'s closing line: counts passed, failed and skipped as scripts/test.mjs's header
// says (a test kept from running by a failing hook is failed, not skipped; hook and unhandled errors count) and writes
// the counts as JSON to the file named by $ABLATE_TEST_COUNTS.
import { writeFileSync } from 'node:fs';

/** The environment variable naming the file the counts go to. */
export const COUNTS_ENV = 'ABLATE_TEST_COUNTS';

/** The vitest reporter: counts the run as the header says and writes the counts where the script asked. */
export default class ClosingLineReporter {
  onTestRunEnd(testModules, unhandledErrors) {
    const file = process.env[COUNTS_ENV];
    if (file) writeFileSync(file, JSON.stringify(countRun(testModules, unhandledErrors)));
  }
}

function countRun(testModules, unhandledErrors) {
  const c = { passed: 0, failed: 0, skipped: 0, failures: [] };
  const fail = (what) => {
    c.failed++;
    c.failures.push(what);
  };
  for (const m of testModules) {
    const file = m.relativeModuleId;
    for (const e of m.errors()) fail(`${file}: ${firstLine(e)}`);
    if (m.state() === 'pending' || m.state() === 'queued') fail(`${file}: did not finish`);
    for (const s of m.children.allSuites()) for (const e of s.errors()) fail(`${file} > ${s.fullName}: ${firstLine(e)}`);
    for (const t of m.children.allTests()) {
      const state = t.result().state;
      const name = `${file} > ${t.fullName}`;
      if (state === 'passed') c.passed++;
      else if (state === 'failed') fail(name);
      else if (state === 'pending') fail(`${name}: did not finish`);
      else if ((t.options.mode === 'run' || t.options.mode === 'only') && suiteFailed(t)) fail(`${name}: not run, its suite failed`);
      else c.skipped++;
    }
  }
  for (const e of unhandledErrors) fail(`unhandled error: ${firstLine(e)}`);
  return c;
}

/** Whether a suite or the file around the test has an error of its own (a hook that threw). */
function suiteFailed(test) {
  for (let p = test.parent; p; p = p.type === 'module' ? undefined : p.parent) if (p.errors().length > 0) return true;
  return false;
}

function firstLine(error) {
  const text = `${error?.name && error.name !== 'Error' ? `${error.name}: ` : ''}${error?.message ?? error}`;
  const line = text.split('\n')[0];
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
