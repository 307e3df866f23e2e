// A blob store in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, R2, s3rver in tests) through @aws-sdk/client-s3.
// Key `a/b` is the object `<prefix>a/b`. Timeouts are short so a dead endpoint fails in seconds instead of hanging a worker.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { BlobStore } from './blob-store.js';
import { StoreError, StoreUnavailableError } from './errors.js';
import { checkKey, checkPrefix, sortKeys } from './keys.js';
import { TruncatedWriteError, errnoCode, writeFileAtomic } from './local-file.js';

/** A single PutObject takes at most 5 GiB; larger files would need a multipart upload, which putFile does not do. */
export const MAX_PUT_BYTES = 5 * 1024 ** 3;
/** DeleteObjects takes at most 1000 keys per request. */
const DELETE_BATCH = 1000;

export interface S3StoreOptions {
  bucket: string;
  /** Prepended to every key, e.g. 'ablate/prod' (a trailing '/' is added); keys returned by list() do not include it. */
  prefix?: string;
  /** An S3-compatible endpoint, e.g. 'http://127.0.0.1:9000'; AWS S3 when unset. */
  endpoint?: string;
  /** @defaultValue 'us-east-1' */
  region?: string;
  /** Path-style URLs (http://host/bucket/key), which most S3-compatible servers need. @defaultValue true when `endpoint` is set */
  forcePathStyle?: boolean;
  /** The SDK's default chain (env, shared config files, instance roles) when unset. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Attempts per request, the first included. @defaultValue 3 */
  maxAttempts?: number;
  /** Give up connecting after this long. @defaultValue 3000 */
  connectionTimeoutMs?: number;
  /** Give up when a connected socket is idle this long (a stalled server); large transfers keep it busy. @defaultValue 15000 */
  socketTimeoutMs?: number;
  /** Receives the SDK's own warnings (e.g. a pino child logger); silent by default, since without one the SDK writes to the console. */
  logger?: SdkLogger;
}

/** What the AWS SDK logs through; a pino logger fits. */
export interface SdkLogger {
  debug(...content: unknown[]): void;
  info(...content: unknown[]): void;
  warn(...content: unknown[]): void;
  error(...content: unknown[]): void;
}

const silentLogger: SdkLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Node network errors worth a retry (the endpoint is down, restarting or unreachable for now). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** S3 error names that mean "try again later". */
const TRANSIENT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'SlowDown', 'ServiceUnavailable', 'InternalError', 'RequestTimeTooSkewed']);

export class S3Store implements BlobStore {
  readonly kind = 's3' as const;
  readonly bucket: string;
  readonly prefix: string;
  private readonly endpoint: string | undefined;
  private readonly client: S3Client;
  /** Sends file uploads with one attempt each: a consumed file stream cannot be resent, so putFile retries with a fresh one. */
  private readonly uploadClient: S3Client;
  private readonly maxAttempts: number;

  constructor(options: S3StoreOptions) {
    if (!options.bucket) throw new StoreError('S3Store needs a bucket');
    this.bucket = options.bucket;
    const prefix = options.prefix?.replace(/\/+$/, '') ?? '';
    this.prefix = prefix ? `${checkPrefix(prefix)}/` : '';
    this.endpoint = options.endpoint;
    this.maxAttempts = options.maxAttempts ?? 3;
    const requestHandler = new NodeHttpHandler({
      connectionTimeout: options.connectionTimeoutMs ?? 3000,
      socketTimeout: options.socketTimeoutMs ?? 15_000,
    });
    const config: S3ClientConfig = {
      region: options.region ?? 'us-east-1',
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
      credentials: options.credentials,
      requestHandler,
      logger: options.logger ?? silentLogger,
      maxAttempts: this.maxAttempts,
      // On AWS, a bucket in another region than `region` still works (one extra round trip).
      followRegionRedirects: options.endpoint === undefined,
      // Checksums only where S3 requires them: many S3-compatible servers reject the SDK's default CRC32 trailers on uploads.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    };
    this.client = new S3Client(config);
    this.uploadClient = new S3Client({ ...config, maxAttempts: 1 });
  }

  describe(): string {
    const where = `s3://${this.bucket}${this.prefix ? `/${this.prefix.slice(0, -1)}` : ''}`;
    if (!this.endpoint) return where;
    try {
      // Only the origin and path: an endpoint URL may carry user:password or a signed query.
      const u = new URL(this.endpoint);
      return `${where} (${u.origin}${u.pathname === '/' ? '' : u.pathname})`;
    } catch {
      return `${where} (custom endpoint)`;
    }
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    const Key = this.prefix + checkKey(key);
    await this.io('put', key, () => this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: body, ContentLength: body.byteLength })));
  }

  async putFile(key: string, path: string): Promise<void> {
    const Key = this.prefix + checkKey(key);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (err) {
      throw new StoreError(`${this.describe()}: putFile '${key}': cannot read ${path}: ${(err as Error).message}`, err);
    }
    if (size > MAX_PUT_BYTES) {
      throw new StoreError(`${this.describe()}: putFile '${key}': ${path} is ${size} bytes, over the 5 GiB a single PutObject takes`);
    }
    for (let attempt = 1; ; attempt++) {
      const Body = createReadStream(path);
      try {
        await this.io('putFile', key, () => this.uploadClient.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body, ContentLength: size })));
        return;
      } catch (err) {
        if (!(err instanceof StoreUnavailableError) || attempt >= this.maxAttempts) throw err;
        await sleep(200 * 2 ** (attempt - 1));
      } finally {
        Body.destroy();
      }
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const Key = this.prefix + checkKey(key);
    return this.io('get', key, async () => {
      const res = await this.getObject(Key);
      if (!res) return undefined;
      return res.Body ? await res.Body.transformToByteArray() : new Uint8Array(0);
    });
  }

  async getFile(key: string, path: string): Promise<boolean> {
    const Key = this.prefix + checkKey(key);
    return this.io('getFile', key, async () => {
      const res = await this.getObject(Key);
      if (!res) return false;
      const body = (res.Body as Readable | undefined) ?? new Uint8Array(0);
      try {
        await writeFileAtomic(path, body, res.ContentLength);
      } catch (err) {
        if (!(err instanceof TruncatedWriteError)) throw err;
        throw new StoreUnavailableError(`${this.describe()}: getFile '${key}': download cut short: ${err.message}`, err);
      }
      return true;
    });
  }

  async list(prefix: string): Promise<string[]> {
    checkPrefix(prefix, true);
    const full = this.prefix + prefix;
    return this.io('list', prefix, async () => {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const res = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: full || undefined, ContinuationToken: token }));
        for (const o of res.Contents ?? []) if (o.Key?.startsWith(full)) keys.push(o.Key.slice(this.prefix.length));
        token = res.IsTruncated ? res.NextContinuationToken : undefined;
        if (res.IsTruncated && !token) throw new StoreError(`${this.describe()}: list '${prefix}': truncated page without a continuation token`);
      } while (token);
      return sortKeys(keys);
    });
  }

  async deletePrefix(prefix: string): Promise<number> {
    checkPrefix(prefix);
    const keys = await this.list(prefix);
    return this.io('deletePrefix', prefix, async () => {
      let deleted = 0;
      for (let i = 0; i < keys.length; i += DELETE_BATCH) {
        const batch = keys.slice(i, i + DELETE_BATCH);
        const res = await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch.map((k) => ({ Key: this.prefix + k })), Quiet: true },
          }),
        );
        const errors = res.Errors ?? [];
        deleted += batch.length - errors.length;
        if (errors.length) {
          const first = errors[0]!;
          throw new StoreError(
            `${this.describe()}: deletePrefix '${prefix}': ${errors.length} of ${batch.length} keys not deleted (${deleted} deleted so far), ` +
              `e.g. '${first.Key}': ${first.Code} ${first.Message ?? ''}`.trimEnd(),
          );
        }
      }
      return deleted;
    });
  }

  async close(): Promise<void> {
    this.client.destroy();
    this.uploadClient.destroy();
  }

  /** GetObject, or undefined when the key does not exist (a missing bucket is still an error). */
  private async getObject(Key: string): Promise<GetObjectCommandOutput | undefined> {
    try {
      return await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'NoSuchKey' || name === 'NotFound') return undefined;
      throw err;
    }
  }

  /** Runs one S3 operation, turning its failures into store errors. */
  private async io<T>(op: string, key: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof StoreError) throw err;
      const e = err as Error;
      const msg = `${this.describe()}: ${op} '${key}' failed: ${e.name === 'Error' ? '' : `${e.name}: `}${e.message || errnoCode(e) || 'unknown error'}`;
      if (isTransient(err)) throw new StoreUnavailableError(msg, err);
      throw new StoreError(msg, err);
    }
  }
}

/** A network error, a timeout, a 5xx/429 or an error the SDK marks retryable, here or in its causes. */
export function isTransient(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as {
    name?: string;
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
    cause?: unknown;
    errors?: unknown[];
  };
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  if (e.name && TRANSIENT_NAMES.has(e.name)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429 || status === 408)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isTransient(x, depth + 1))) return true;
  return isTransient(e.cause, depth + 1);
}
