// The API's environment, parsed once at start with a message naming every bad variable.
import { DataRootsEnv } from '@ablate/spec';
import { z } from 'zod';

export const ApiEnv = z.object({
  DATABASE_URL: z.string().url('must be a postgresql:// URL'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ABLATE_QUEUE: z.enum(['redis', 'postgres']).default('redis'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  ABLATE_QUEUE_PREFIX: z.string().optional(),
  /** Run the reconciler in this process (one process leads at a time; the others stand by). */
  RECONCILER: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  RECONCILER_INTERVAL_MS: z.coerce.number().int().min(50).default(500),
  /** After a reconciler takes the lead (or Postgres comes back), leases get this long to be renewed before any expires. */
  LEASE_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** `keys` (default): every route but /health, the dashboard's files and /docs needs an API key; `off`: none does (one trusted user). */
  ABLATE_AUTH: z.enum(['keys', 'off']).default('keys'),
  /**
   * A local stack's key file (`npm start`, the demo): at start the API makes sure it holds a live admin key of the
   * project "default" (creating one, mode 600), for the CLI and the dashboard on this machine.
   */
  ABLATE_KEY_FILE: z.string().optional(),
  /** Apply pending migrations (under an advisory lock) before listening. */
  MIGRATE_ON_START: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  ...DataRootsEnv.shape,
  /** Origins whose browser pages may call the API (comma-separated, e.g. `https://lab.example.org`); unset: CORS off. */
  ABLATE_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const origins = v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean);
      for (const o of origins) {
        const u = URL.canParse(o) ? new URL(o) : undefined;
        if (!u || u.origin !== o)
          ctx.addIssue({ code: 'custom', message: `'${o}' is not an origin (scheme://host[:port], no path or trailing slash)` });
      }
      return origins;
    }),
});
export type ApiEnv = z.output<typeof ApiEnv>;

export function parseEnv(env: NodeJS.ProcessEnv = process.env): ApiEnv {
  const r = ApiEnv.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment:\n${lines.join('\n')}`);
  }
  return r.data;
}
