// The blob-store contract, run against every implementation (a directory, and an S3 bucket on s3rver, a real S3-protocol
// server on a free port), then what only one of them can show: S3 fails fast and retryable when its endpoint is dead or
// stalled, and DirStore's writes are atomic and leave no empty folders behind.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type S3TestServer, startS3Server } from '../../../tests/harness/s3-server.js';
import { type BlobStore, DirStore, S3Store, StoreError, StoreKeyError, StoreUnavailableError } from '../src/index.js';

interface Fixture {
  /** A new, empty store (its own directory or key prefix). */
  open(): BlobStore;
  close(): Promise<void>;
}

const implementations: { name: 'dir' | 's3'; start(): Promise<Fixture> }[] = [
  {
    name: 'dir',
    async start() {
      const root = await mkdtemp(join(tmpdir(), 'ablate-dirstore-'));
      let n = 0;
      return { open: () => new DirStore(join(root, `store-${n++}`)), close: () => rm(root, { recursive: true, force: true }) };
    },
  },
  {
    name: 's3',
    async start() {
      const s3 = await startS3Server();
      let n = 0;
      return { open: () => s3Store(s3, { prefix: `store-${n++}` }), close: () => s3.close() };
    },
  },
];

function s3Store(s3: S3TestServer, extra: Partial<ConstructorParameters<typeof S3Store>[0]> = {}): S3Store {
  return new S3Store({
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    ...extra,
  });
}

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ablate-store-test-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe.each(implementations)('$name store', (impl) => {
  let fixture: Fixture;
  const opened: BlobStore[] = [];
  const open = () => {
    const store = fixture.open();
    opened.push(store);
    return store;
  };
  beforeAll(async () => {
    fixture = await impl.start();
  });
  afterAll(async () => {
    for (const s of opened) await s.close();
    await fixture?.close();
  });

  it('round-trips bytes, including every byte value and an empty body', async () => {
    const store = open();
    expect(store.kind).toBe(impl.name);
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    await store.put('trials/0123/meta/all-bytes.bin', all);
    await store.put('empty', new Uint8Array(0));
    expect(await store.get('trials/0123/meta/all-bytes.bin')).toEqual(all);
    expect(await store.get('empty')).toEqual(new Uint8Array(0));
  });

  it('uploads a 5 MB file and downloads it into new folders, byte for byte, leaving no temp file', async () => {
    const store = open();
    const data = randomBytes(5 * 1024 * 1024 + 17);
    const src = join(work, `${impl.name}-upload.ckpt`);
    await writeFile(src, data);
    const key = 'trials/0123456789abcdef0123456789abcdef/checkpoints/a2-e00003-b0000000.ckpt';
    await store.putFile(key, src);

    const dest = join(work, `${impl.name}-download`, 'nested', 'deeper', 'resume.ckpt');
    expect(await store.getFile(key, dest)).toBe(true);
    expect(sha256(await readFile(dest))).toBe(sha256(data));
    expect(await readdir(join(work, `${impl.name}-download`, 'nested', 'deeper'))).toEqual(['resume.ckpt']);
    expect(sha256((await store.get(key))!)).toBe(sha256(data));
  });

  it('reports a missing key: get gives undefined, getFile gives false and writes nothing', async () => {
    const store = open();
    await store.put('trials/a/present', bytes('x'));
    expect(await store.get('trials/a/absent')).toBeUndefined();
    expect(await store.get('trials/b/absent')).toBeUndefined();
    const dest = join(work, `${impl.name}-missing`, 'absent.ckpt');
    expect(await store.getFile('trials/a/absent', dest)).toBe(false);
    expect(existsSync(dest)).toBe(false);
  });

  it('lists the keys under a prefix, nested and sorted; a prefix matches keys as a string', async () => {
    const store = open();
    const keys = ['trials/b/x', 'trials/a/ckpt/2', 'top', 'trials/a/ckpt/10', 'trials/ab/x', 'other/y', 'trials/a/tb/events.out'];
    for (const k of keys) await store.put(k, bytes(k));
    expect(await store.list('trials/a/')).toEqual(['trials/a/ckpt/10', 'trials/a/ckpt/2', 'trials/a/tb/events.out']);
    expect(await store.list('trials/a')).toEqual(['trials/a/ckpt/10', 'trials/a/ckpt/2', 'trials/a/tb/events.out', 'trials/ab/x']);
    expect(await store.list('trials/a/ckpt/1')).toEqual(['trials/a/ckpt/10']);
    expect(await store.list('')).toEqual([...keys].sort());
    expect(await store.list('nothing/')).toEqual([]);
    expect(await store.list('top')).toEqual(['top']);
  });

  it('lists and deletes more than one page of keys (1,050)', async () => {
    const store = open();
    const many = Array.from({ length: 1050 }, (_, i) => `many/k${String(i).padStart(4, '0')}`);
    for (let i = 0; i < many.length; i += 50) await Promise.all(many.slice(i, i + 50).map((k) => store.put(k, bytes('.'))));
    await store.put('keep/x', bytes('kept'));
    expect(await store.list('many/')).toEqual(many);
    expect(await store.deletePrefix('many/')).toBe(1050);
    expect(await store.list('many/')).toEqual([]);
    expect(await store.list('')).toEqual(['keep/x']);
  });

  it('deletes every key under a prefix and nothing else', async () => {
    const store = open();
    const keep = ['trials/ab/x', 'trials/b/ckpt', 'top'];
    const gone = ['trials/a/ckpt/1', 'trials/a/ckpt/2', 'trials/a/tb/events'];
    for (const k of [...keep, ...gone]) await store.put(k, bytes(k));
    expect(await store.deletePrefix('trials/a/')).toBe(3);
    for (const k of gone) expect(await store.get(k)).toBeUndefined();
    expect(await store.list('')).toEqual([...keep].sort());
    expect(text(await store.get('trials/ab/x'))).toBe('trials/ab/x');
    expect(await store.deletePrefix('trials/a/')).toBe(0);
    expect(await store.deletePrefix('missing/')).toBe(0);
  });

  it('overwrites a key with put and putFile, shorter content included', async () => {
    const store = open();
    await store.put('k', bytes('first version, long'));
    await store.put('k', bytes('second'));
    expect(text(await store.get('k'))).toBe('second');
    const src = join(work, `${impl.name}-overwrite.txt`);
    await writeFile(src, 'third');
    await store.putFile('k', src);
    expect(text(await store.get('k'))).toBe('third');
    const dest = join(work, `${impl.name}-overwrite-dest.txt`);
    await writeFile(dest, 'a longer local file that getFile must replace');
    expect(await store.getFile('k', dest)).toBe(true);
    expect(text(await readFile(dest))).toBe('third');
    expect(await store.list('')).toEqual(['k']);
  });

  it('rejects invalid keys and prefixes with ERR_STORE_KEY before touching the store', async () => {
    const store = open();
    const src = join(work, `${impl.name}-key-src`);
    await writeFile(src, 'x');
    const badKeys = [
      '',
      '/abs',
      'a/../b',
      '..',
      '../escape',
      './a',
      'a/./b',
      'a\\b',
      'a\0b',
      'a//b',
      'a/',
      'x'.repeat(1025),
      'é'.repeat(513), // 1026 UTF-8 bytes
      'a.ablate-tmp',
    ];
    for (const key of badKeys) {
      for (const op of [
        () => store.put(key, bytes('x')),
        () => store.putFile(key, src),
        () => store.get(key),
        () => store.getFile(key, join(work, 'never')),
      ]) {
        const err = await op().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, JSON.stringify(key)).toBeInstanceOf(StoreKeyError);
        expect(err).toMatchObject({ code: 'ERR_STORE_KEY', retryable: false });
      }
    }
    for (const prefix of ['/abs', '../', 'a/../', 'a\\', 'x'.repeat(1025)]) {
      await expect(store.list(prefix), prefix).rejects.toMatchObject({ code: 'ERR_STORE_KEY' });
      await expect(store.deletePrefix(prefix), prefix).rejects.toMatchObject({ code: 'ERR_STORE_KEY' });
    }
    // The empty prefix lists everything, but never deletes everything.
    await expect(store.deletePrefix('')).rejects.toMatchObject({ code: 'ERR_STORE_KEY' });
    expect(await store.list('')).toEqual([]);
    expect(existsSync(join(work, 'never'))).toBe(false);
  });
});

describe('S3 store failures', () => {
  it('a stopped endpoint fails within seconds with a retryable StoreUnavailableError', async () => {
    const s3 = await startS3Server();
    const store = s3Store(s3);
    const src = join(work, 's3-dead-src');
    await writeFile(src, randomBytes(1024));
    try {
      await store.put('k', bytes('v'));
      await s3.close();
      const ops: [string, () => Promise<unknown>][] = [
        ['get', () => store.get('k')],
        ['put', () => store.put('k', bytes('v2'))],
        ['putFile', () => store.putFile('k', src)],
        ['getFile', () => store.getFile('k', join(work, 's3-dead-dest'))],
        ['list', () => store.list('')],
        ['deletePrefix', () => store.deletePrefix('k')],
      ];
      for (const [name, op] of ops) {
        const t0 = Date.now();
        const err = await op().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, name).toBeInstanceOf(StoreUnavailableError);
        expect(err).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', retryable: true });
        expect((err as Error).message).toContain('ECONNREFUSED');
        expect(Date.now() - t0, name).toBeLessThan(5000);
      }
      expect(existsSync(join(work, 's3-dead-dest'))).toBe(false);
    } finally {
      await store.close();
      await s3.close();
    }
  });

  it('a server that accepts connections but never answers fails after the socket timeout instead of hanging', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const store = new S3Store({
      bucket: 'b',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
      socketTimeoutMs: 500,
      maxAttempts: 2,
    });
    try {
      const t0 = Date.now();
      await expect(store.get('k')).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(sockets.length).toBeGreaterThanOrEqual(2); // retried once
    } finally {
      await store.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('a missing bucket is a StoreError, not a missing key and not retryable', async () => {
    const s3 = await startS3Server();
    const store = s3Store(s3, { bucket: 'no-such-bucket' });
    try {
      const err = await store.get('k').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(StoreError);
      expect(err).toMatchObject({ code: 'ERR_STORE', retryable: false });
      expect((err as Error).message).toMatch(/NoSuchBucket/);
    } finally {
      await store.close();
      await s3.close();
    }
  });
});

describe('DirStore on disk', () => {
  it('writes atomically: while an upload streams in, readers see the previous file and list shows no temp file', async () => {
    const root = join(work, 'atomic');
    const store = new DirStore(root);
    await store.put('trial/ckpt', bytes('old'));
    const fifo = join(work, 'atomic.fifo');
    execFileSync('mkfifo', [fifo]);
    const upload = store.putFile('trial/ckpt', fifo);
    const writer = createWriteStream(fifo);
    const first = randomBytes(256 * 1024);
    const second = randomBytes(256 * 1024);
    writer.write(first);
    // Wait until the first half is on disk somewhere under the store's folder.
    const deadline = Date.now() + 10_000;
    const sizes = async () => Promise.all((await readdir(join(root, 'trial'))).map(async (f) => (await stat(join(root, 'trial', f))).size));
    while (!(await sizes()).some((s) => s >= first.length)) {
      if (Date.now() > deadline) throw new Error('the upload never wrote its first half');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(text(await store.get('trial/ckpt'))).toBe('old');
    expect(await store.list('')).toEqual(['trial/ckpt']);
    writer.end(second);
    await upload;
    expect(sha256((await store.get('trial/ckpt'))!)).toBe(sha256(Buffer.concat([first, second])));
    expect(await readdir(join(root, 'trial'))).toEqual(['ckpt']);
  });

  it('removes the folders deletePrefix empties, and skips leftover temp files when listing', async () => {
    const root = join(work, 'folders');
    const store = new DirStore(root);
    for (const k of ['trials/a/ckpt/1', 'trials/a/tb/events', 'trials/b/x']) await store.put(k, bytes(k));
    await writeFile(join(root, 'trials', 'b', '.x.0123456789ab.ablate-tmp'), 'crashed mid-write');
    expect(await store.list('')).toEqual(['trials/a/ckpt/1', 'trials/a/tb/events', 'trials/b/x']);
    expect(await store.deletePrefix('trials/a/')).toBe(2);
    expect(await readdir(join(root, 'trials'))).toEqual(['b']);
    expect(await store.deletePrefix('trials/')).toBe(1);
    // The temp file keeps trials/b; the root itself is never removed.
    expect(await readdir(join(root, 'trials', 'b'))).toEqual(['.x.0123456789ab.ablate-tmp']);
    expect(existsSync(root)).toBe(true);
  });
});
