// The blob store's environment variables, parsed with zod into a DirStore or an S3Store; one message names every bad variable.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { BlobStore } from './blob-store.js';
import { DirStore } from './dir-store.js';
import { checkPrefix } from './keys.js';
import { S3Store } from './s3-store.js';

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

export const StoreEnv = z
  .object({
    /** `dir`: a directory (local or a shared mount); `s3`: an S3-compatible bucket. */
    ABLATE_STORE: z.enum(['dir', 's3']).default('dir'),
    /** The directory of a `dir` store. @defaultValue the caller's default, else ~/.cache/ablate/store */
    ABLATE_STORE_DIR: z.string().min(1).optional(),
    /** The bucket of an `s3` store (required then). */
    ABLATE_S3_BUCKET: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,255}$/, 'must be a bucket name (letters, digits, ".", "-", "_"), without s3:// or a path')
      .optional(),
    /** A key prefix inside the bucket, e.g. `ablate/prod`. */
    ABLATE_S3_PREFIX: z.string().optional(),
    /** An S3-compatible endpoint, e.g. http://minio:9000; AWS S3 when unset. */
    ABLATE_S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
    ABLATE_S3_REGION: z.string().min(1).default('us-east-1'),
    /** Path-style URLs; defaults to 1 when ABLATE_S3_ENDPOINT is set. */
    ABLATE_S3_FORCE_PATH_STYLE: flag.optional(),
    /** Static credentials; when unset, the AWS SDK's default chain (shared config files, instance roles). */
    AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
    AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    AWS_SESSION_TOKEN: z.string().min(1).optional(),
  })
  .superRefine((e, ctx) => {
    if (e.ABLATE_STORE === 's3' && !e.ABLATE_S3_BUCKET) {
      ctx.addIssue({ code: 'custom', path: ['ABLATE_S3_BUCKET'], message: 'required when ABLATE_STORE=s3' });
    }
    if (e.ABLATE_S3_PREFIX) {
      try {
        checkPrefix(e.ABLATE_S3_PREFIX);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['ABLATE_S3_PREFIX'], message: (err as Error).message });
      }
    }
    if (!e.AWS_ACCESS_KEY_ID !== !e.AWS_SECRET_ACCESS_KEY) {
      const missing = e.AWS_ACCESS_KEY_ID ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY together, or neither' });
    }
  });
export type StoreEnv = z.output<typeof StoreEnv>;

/** Parses the store's variables; an empty variable counts as unset. Throws an Error listing every bad variable. */
export function parseStoreEnv(env: NodeJS.ProcessEnv = process.env): StoreEnv {
  const set = Object.fromEntries(Object.keys(StoreEnv.shape).flatMap((k) => (env[k] ? [[k, env[k]]] : [])));
  const r = StoreEnv.safeParse(set);
  if (!r.success) {
    throw new Error(`invalid store environment:\n${r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return r.data;
}

/** Opens the store the environment names; `defaults.dir` is the directory when ABLATE_STORE_DIR is unset. */
export function openStoreFromEnv(env: NodeJS.ProcessEnv = process.env, defaults: { dir?: string } = {}): BlobStore {
  const e = parseStoreEnv(env);
  if (e.ABLATE_STORE === 'dir') return new DirStore(e.ABLATE_STORE_DIR ?? defaults.dir ?? join(homedir(), '.cache', 'ablate', 'store'));
  return new S3Store({
    bucket: e.ABLATE_S3_BUCKET!,
    prefix: e.ABLATE_S3_PREFIX,
    endpoint: e.ABLATE_S3_ENDPOINT,
    region: e.ABLATE_S3_REGION,
    forcePathStyle: e.ABLATE_S3_FORCE_PATH_STYLE,
    credentials:
      e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY
        ? { accessKeyId: e.AWS_ACCESS_KEY_ID, secretAccessKey: e.AWS_SECRET_ACCESS_KEY, sessionToken: e.AWS_SESSION_TOKEN }
        : undefined,
  });
}
