// Choosing the store from the environment: a directory by default, S3 with a bucket; every bad variable named at once;
// describe() never shows credentials.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startS3Server } from '../../../tests/harness/s3-server.js';
import { DirStore, S3Store, openStoreFromEnv, parseStoreEnv } from '../src/index.js';

describe('openStoreFromEnv', () => {
  it('opens a directory store: ABLATE_STORE_DIR, else the caller default, else ~/.cache/ablate/store', () => {
    expect(openStoreFromEnv({}).describe()).toBe(`dir:${join(homedir(), '.cache', 'ablate', 'store')}`);
    expect(openStoreFromEnv({}, { dir: '/srv/runs/store' }).describe()).toBe('dir:/srv/runs/store');
    const store = openStoreFromEnv({ ABLATE_STORE: 'dir', ABLATE_STORE_DIR: '/data/ablate' }, { dir: '/srv/runs/store' });
    expect(store).toBeInstanceOf(DirStore);
    expect(store.describe()).toBe('dir:/data/ablate');
    // An empty variable counts as unset.
    expect(openStoreFromEnv({ ABLATE_STORE: '', ABLATE_STORE_DIR: '' }, { dir: '/x' }).describe()).toBe('dir:/x');
  });

  it('needs a bucket for s3 and names every bad variable', () => {
    expect(() => openStoreFromEnv({ ABLATE_STORE: 's3' })).toThrow(/ABLATE_S3_BUCKET: required when ABLATE_STORE=s3/);
    expect(() => parseStoreEnv({ ABLATE_STORE: 'gcs', ABLATE_S3_ENDPOINT: 'not a url', ABLATE_S3_FORCE_PATH_STYLE: 'yes' })).toThrow(
      /ABLATE_STORE:[^\n]*\n.*ABLATE_S3_ENDPOINT:[^\n]*\n.*ABLATE_S3_FORCE_PATH_STYLE:/s,
    );
    expect(() => parseStoreEnv({ ABLATE_STORE: 's3', ABLATE_S3_BUCKET: 's3://b/p' })).toThrow(/ABLATE_S3_BUCKET: must be a bucket name/);
    expect(() => parseStoreEnv({ ABLATE_STORE: 's3', ABLATE_S3_BUCKET: 'b', AWS_ACCESS_KEY_ID: 'id' })).toThrow(/AWS_SECRET_ACCESS_KEY: set/);
    expect(() => parseStoreEnv({ ABLATE_STORE: 's3', ABLATE_S3_BUCKET: 'b', ABLATE_S3_PREFIX: '../x' })).toThrow(
      /ABLATE_S3_PREFIX: invalid store key/,
    );
    expect(parseStoreEnv({ ABLATE_STORE: 's3', ABLATE_S3_BUCKET: 'b', ABLATE_S3_PREFIX: 'ablate/prod/' }).ABLATE_S3_PREFIX).toBe('ablate/prod/');
  });

  it('describes an s3 store without credentials', async () => {
    const store = openStoreFromEnv({
      ABLATE_STORE: 's3',
      ABLATE_S3_BUCKET: 'ckpts',
      ABLATE_S3_PREFIX: 'ablate/prod/',
      ABLATE_S3_ENDPOINT: 'https://user:hunter2@minio.internal:9000/',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI',
    });
    try {
      expect(store).toBeInstanceOf(S3Store);
      expect(store.describe()).toBe('s3://ckpts/ablate/prod (https://minio.internal:9000)');
      expect(openStoreFromEnv({ ABLATE_STORE: 's3', ABLATE_S3_BUCKET: 'ckpts' }).describe()).toBe('s3://ckpts');
    } finally {
      await store.close();
    }
  });

  it("opens the test S3 server from the harness's env and round-trips a key", async () => {
    const s3 = await startS3Server();
    const store = openStoreFromEnv(s3.env);
    try {
      expect(store.kind).toBe('s3');
      expect(store.describe()).toBe(`s3://${s3.bucket} (${s3.endpoint})`);
      await store.put('trials/x/a.bin', new Uint8Array([1, 2, 3]));
      expect(await store.get('trials/x/a.bin')).toEqual(new Uint8Array([1, 2, 3]));
      expect(await store.list('trials/')).toEqual(['trials/x/a.bin']);
    } finally {
      await store.close();
      await s3.close();
    }
  });
});
