// `npm run keys -- <create|list|revoke|limits> …`: API keys and project limits, straight on the database named by
// DATABASE_URL. `create` prints only the key on stdout (KEY=$(npm run -s keys -- create …)); everything else goes to stderr.
// Exit codes: 0 done, 1 failed (no such key, database unreachable), 2 usage error.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createApiKey, createDb, type Db, isDatabaseUnavailable, KEY_SCOPES, type KeyScope, listApiKeys, revokeApiKey } from '@ablate/db';
import { DEFAULT_LIMITS, LIMIT_NAMES, type LimitName, limitName, ProjectLimits, storedLimits, updateProjectLimits } from './quotas/limits.js';

const USAGE = `usage: npm run keys -- <command>
  create --project NAME --scope read|write|admin [--name LABEL]   a new key (printed once, on stdout)
  list [--project NAME]                                           keys (never their values), live and revoked
  revoke KEYID                                                    revoke a key (requests with it answer 401)
  limits --project NAME [--set field=value …] [--unset field …]   show or change a project's limits
limits: ${LIMIT_NAMES.join(', ')}
DATABASE_URL names the database (as for the API).`;

/** A mistake in how the command was called: exit 2 with the usage. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = true,
  ) {
    super(message);
    this.name = new.target.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
}

function project(value: string | undefined, required: boolean): string | undefined {
  if (value === undefined) {
    if (required) throw new UsageError('--project NAME is required');
    return undefined;
  }
  if (!PROJECT_NAME.test(value))
    throw new UsageError(`project name '${value}' is not valid: letters, digits, '.', '_', '-', at most 64, starting with a letter or digit`);
  return value;
}

/** The URL without its password, for messages. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

function parseSet(pairs: string[]): ProjectLimits {
  const raw: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new UsageError(`--set takes field=value, e.g. --set trialsPerSweep=500 (got '${pair}')`);
    const name = limitName(pair.slice(0, eq).trim());
    const text = pair
      .slice(eq + 1)
      .trim()
      .replaceAll(/[_,]/g, '');
    raw[name] = /^-?\d+$/.test(text) ? Number(text) : text;
  }
  const r = ProjectLimits.safeParse(raw);
  if (!r.success) throw new UsageError(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), false);
  return r.data;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd(),
  );
}

async function run(db: Db, command: string, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      project: { type: 'string' },
      scope: { type: 'string' },
      name: { type: 'string' },
      set: { type: 'string', multiple: true },
      unset: { type: 'string', multiple: true },
    },
  });
  const noPositionals = () => {
    if (positionals.length) throw new UsageError(`${command} takes no argument '${positionals[0]}'`);
  };
  switch (command) {
    case 'create': {
      noPositionals();
      const projectId = project(values.project, true)!;
      if (!KEY_SCOPES.includes(values.scope as KeyScope))
        throw new UsageError(`--scope must be one of ${KEY_SCOPES.join(', ')}${values.scope ? ` (got '${values.scope}')` : ''}`);
      if (values.name !== undefined && (values.name.trim() === '' || values.name.length > 100))
        throw new UsageError('--name takes 1 to 100 characters');
      const k = await createApiKey(db, { projectId, scope: values.scope as KeyScope, name: values.name?.trim() });
      io.out(k.key);
      io.err(`Created ${k.scope} key ${k.keyId} for project '${k.projectId}'. This is the only time the key is shown: store it now.`);
      return 0;
    }
    case 'list': {
      noPositionals();
      const keys = await listApiKeys(db, project(values.project, false));
      if (!keys.length) {
        io.err(values.project ? `project '${values.project}' has no keys` : 'no keys');
        return 0;
      }
      const rows = keys.map((k) => [
        k.id,
        k.projectId,
        k.scope,
        k.name ?? '',
        k.createdAt.toISOString(),
        k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'live',
      ]);
      for (const line of table([['ID', 'PROJECT', 'SCOPE', 'NAME', 'CREATED', 'STATE'], ...rows])) io.out(line);
      return 0;
    }
    case 'revoke': {
      if (positionals.length !== 1) throw new UsageError('revoke takes one KEYID (see `npm run keys -- list`)');
      const keyId = positionals[0]!;
      if (!(await revokeApiKey(db, keyId))) {
        io.err(`keys: no live key '${keyId}' (unknown or already revoked; see \`npm run keys -- list\`)`);
        return 1;
      }
      io.err(`Revoked key ${keyId}: requests with it now answer 401.`);
      return 0;
    }
    case 'limits': {
      noPositionals();
      const projectId = project(values.project, true)!;
      const set = parseSet(values.set ?? []);
      const unset = (values.unset ?? []).map((u) => limitName(u.trim()));
      let stored: ProjectLimits;
      if (Object.keys(set).length || unset.length) {
        stored = await updateProjectLimits(db, projectId, { set, unset });
      } else {
        const p = await db.project.findUnique({ where: { id: projectId }, select: { limits: true } });
        if (!p) io.err(`project '${projectId}' does not exist yet: it has the defaults`);
        stored = storedLimits(p?.limits);
      }
      const rows = LIMIT_NAMES.map((n: LimitName) => [
        n,
        (stored[n] ?? DEFAULT_LIMITS[n]).toLocaleString('en-US'),
        stored[n] === undefined ? 'default' : `set (default ${DEFAULT_LIMITS[n].toLocaleString('en-US')})`,
      ]);
      for (const line of table([['LIMIT', 'VALUE', ''], ...rows])) io.out(line);
      return 0;
    }
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

/** Runs one command; returns the exit code. */
export async function runKeysCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    (command ? io.out : io.err)(USAGE);
    return command ? 0 : 2;
  }
  const url = io.env.DATABASE_URL;
  if (!url) {
    io.err('keys: DATABASE_URL is not set: point it at the ablate database, e.g. DATABASE_URL=postgresql://postgres@127.0.0.1:5432/ablate');
    return 2;
  }
  const db = createDb(url, { max: 1 });
  try {
    return await run(db, command, args, io);
  } catch (err) {
    const e = err as Error & { code?: string };
    if (err instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(err instanceof UsageError && !err.showUsage ? `keys: ${e.message}` : `keys: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e.code === 'QUOTA_ERR_UNKNOWN_LIMIT') {
      io.err(`keys: ${e.message}`);
      return 2;
    }
    if (isDatabaseUnavailable(err)) {
      io.err(`keys: cannot reach the database at ${safeUrl(url)}: is Postgres running, and is DATABASE_URL right?`);
      return 1;
    }
    if (e.code === 'P1003' || e.code === 'P2021' || /does not exist/.test(e.message)) {
      io.err(`keys: the database at ${safeUrl(url)} is missing or not migrated: run \`npm run db:migrate\` with the same DATABASE_URL`);
      return 1;
    }
    // Prisma's messages quote the calling code; its last line is the reason.
    io.err(`keys: ${e.message.trim().split('\n').at(-1)}`);
    return 1;
  } finally {
    await db.$disconnect();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runKeysCli(process.argv.slice(2), {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
  process.exitCode = code;
}
