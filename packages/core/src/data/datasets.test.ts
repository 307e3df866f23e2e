// IDX (Fashion-MNIST from Debian's package), image folders, subsets and long-tailed splits, and downloads.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createDataset, ensureDownloaded, longTailCounts, parseIdx } from './index.js';

const FASHION = '/usr/share/datasets/fashion-mnist';
// Image folders are made under the system's temp folder: a data root here, as ABLATE_DATA_ROOTS makes one on a worker.
const none = { dataDir: mkdtempSync(join(tmpdir(), 'ablate-none-')), dataRoots: [tmpdir()], download: false };

describe('Fashion-MNIST from IDX', () => {
  it("is found in Debian's dataset-fashion-mnist and read correctly", async () => {
    expect(existsSync(`${FASHION}/train-images-idx3-ubyte.gz`), 'apt-get install dataset-fashion-mnist').toBe(true);
    const ds = await createDataset({ name: 'fashion_mnist' }, none);
    expect([ds.train.size, ds.test.size, ds.height, ds.width, ds.channels, ds.classes]).toEqual([60000, 10000, 28, 28, 1, 10]);
    // The first training image is an ankle boot (9), the first test image too; the dataset is balanced.
    expect([ds.train.labels[0], ds.test.labels[0]]).toEqual([9, 9]);
    expect(ds.train.labels.filter((l) => l === 3).length).toBe(6000);
    expect(ds.classNames![9]).toBe('Ankle boot');
  });

  it('replicates to 3 channels, pads to 32 and takes class-balanced subsets', async () => {
    const ds = await createDataset({ name: 'fashion_mnist', channels: 3, padTo: 32, subset: { train: 1000, test: 300 } }, none);
    expect([ds.train.size, ds.test.size, ds.height, ds.channels]).toEqual([1000, 300, 32, 3]);
    for (let c = 0; c < 10; c++) expect(ds.train.labels.filter((l) => l === c).length).toBe(100);
    // Padding rows are zero; channels are copies.
    expect(ds.train.images.subarray(0, 32 * 2 * 3).every((v) => v === 0)).toBe(true);
    const p = (16 * 32 + 16) * 3;
    expect(ds.train.images[p]).toBe(ds.train.images[p + 1]);
    const again = await createDataset({ name: 'fashion_mnist', channels: 3, padTo: 32, subset: { train: 1000, test: 300 } }, none);
    expect(again.fingerprint).toBe(ds.fingerprint);
  });

  it('rejects a truncated or non-IDX file with its name', () => {
    const good = Buffer.from([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]);
    expect(Array.from(parseIdx(good, 'x').data)).toEqual([7, 8, 9]);
    expect(() => parseIdx(good.subarray(0, 10), 'labels.idx')).toThrow('labels.idx: header says 3 = 3 bytes, the file has 2 (truncated?)');
    expect(() => parseIdx(Buffer.from('not idx!'), 'f')).toThrow(/bad magic/);
  });
});

describe('image folder', () => {
  async function folder(layout: 'split' | 'flat') {
    const root = mkdtempSync(join(tmpdir(), 'ablate-folder-'));
    const colours: Record<string, [number, number, number]> = { cat: [200, 10, 10], dog: [10, 200, 10], owl: [10, 10, 200] };
    for (const [cls, rgb] of Object.entries(colours)) {
      for (let i = 0; i < 5; i++) {
        const sub = layout === 'split' ? join(root, i < 4 ? 'train' : 'test', cls) : join(root, cls);
        mkdirSync(sub, { recursive: true });
        const raw = Buffer.alloc(8 * 8 * 3);
        for (let p = 0; p < 64; p++) raw.set([rgb[0] + i, rgb[1], rgb[2]], p * 3);
        const file = join(sub, `${i}.${i % 2 ? 'png' : 'jpg'}`);
        const img = sharp(raw, { raw: { width: 8, height: 8, channels: 3 } });
        await (i % 2 ? img.png() : img.jpeg({ quality: 100 })).toFile(file);
      }
    }
    return root;
  }

  it('labels classes by sorted folder name and uses train/ and test/', async () => {
    const ds = await createDataset({ name: 'image_folder', path: await folder('split'), size: 8 }, none);
    expect(ds.classNames).toEqual(['cat', 'dog', 'owl']);
    expect([ds.train.size, ds.test.size, ds.classes]).toEqual([12, 3, 3]);
    // PNG files decode exactly: image 1 of "dog" is (11, 200, 10).
    const idx = Array.from(ds.train.labels).findIndex((l, k) => l === 1 && k % 4 === 1);
    expect(Array.from(ds.train.images.subarray(idx * 192, idx * 192 + 3))).toEqual([11, 200, 10]);
  });

  it('splits a flat folder per class with a seed', async () => {
    const root = await folder('flat');
    const a = await createDataset({ name: 'image_folder', path: root, size: 8, testFraction: 0.4 }, none);
    const b = await createDataset({ name: 'image_folder', path: root, size: 8, testFraction: 0.4 }, none);
    expect([a.train.size, a.test.size]).toEqual([9, 6]);
    expect(a.fingerprint).toBe(b.fingerprint);
    const c = await createDataset({ name: 'image_folder', path: root, size: 8, testFraction: 0.4, dataSeed: 5 }, none);
    expect(c.fingerprint).not.toBe(a.fingerprint);
  });
});

describe('long-tailed variants', () => {
  it('keep n_max·(1/imbalance)^(c/(C-1)) training images per class (CIFAR-100-LT: 500 → 5 at imbalance 100)', async () => {
    expect(longTailCounts(500, 100, 100)[0]).toBe(500);
    expect(longTailCounts(500, 100, 100)[99]).toBe(5);
    expect(longTailCounts(500, 100, 100)[50]).toBe(Math.trunc(500 * 0.01 ** (50 / 99)));
    const ds = await createDataset({ name: 'procedural', classes: 5, trainSize: 500, testSize: 50, imageSize: 8, longTail: { imbalance: 10 } }, none);
    const counts = Array.from({ length: 5 }, (_, c) => ds.train.labels.filter((l) => l === c).length);
    expect(counts).toEqual(longTailCounts(100, 5, 10));
    expect(counts).toEqual([100, 56, 31, 17, 10]);
    expect(ds.test.size).toBe(50);
  });
});

describe('downloads', () => {
  it('fetch with progress and an md5 check, and explain what to do when they fail', async () => {
    const payload = Buffer.from('fake archive bytes');
    const md5 = createHash('md5').update(payload).digest('hex');
    const server = createServer((_req, res) => res.end(payload));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const dataDir = mkdtempSync(join(tmpdir(), 'ablate-dl-'));
      const progress: number[] = [];
      const dest = join(dataDir, 'x.tar.gz');
      await ensureDownloaded(
        dest,
        { url: `http://127.0.0.1:${port}/x`, md5, what: 'X' },
        { dataDir, download: true, onProgress: (e) => progress.push(e.done) },
      );
      expect(readFileSync(dest)).toEqual(payload);
      expect(progress.at(-1)).toBe(payload.length);
      const bad = join(dataDir, 'y.tar.gz');
      await expect(
        ensureDownloaded(bad, { url: `http://127.0.0.1:${port}/y`, md5: '0'.repeat(32), what: 'Y' }, { dataDir, download: true }),
      ).rejects.toThrow(/does not match/);
      expect(existsSync(bad) || existsSync(`${bad}.part`)).toBe(false);
    } finally {
      server.close();
    }
    const dataDir = mkdtempSync(join(tmpdir(), 'ablate-dl-'));
    await expect(
      ensureDownloaded(join(dataDir, 'z'), { url: `http://127.0.0.1:${port}/gone`, md5: 'a'.repeat(32), what: 'Z' }, { dataDir, download: true }),
    ).rejects.toMatchObject({ code: 'ERR_DATASET_UNAVAILABLE', message: expect.stringMatching(/Z could not be downloaded .*put it at/) });
    writeFileSync(join(dataDir, 'present'), 'x');
    await expect(
      ensureDownloaded(join(dataDir, 'present'), { url: 'http://invalid', md5: '', what: 'P' }, { dataDir, download: false }),
    ).resolves.toBe(join(dataDir, 'present'));
  });
});
