// The CIFAR readers on archives the test writes in the official binary format: labels, pixel layout (channel-planar
// records → HWC), fine and coarse labels, and clear errors for truncated, corrupt or missing archives.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tar } from '../../test/tar-writer.js';
import { createDataset } from './index.js';

/** One record: label bytes, then R plane, G plane, B plane with pixel p of channel k = (seed·7 + p·3 + k·11) mod 256. */
function record(labels: number[], seed: number): Uint8Array {
  const r = new Uint8Array(labels.length + 3072);
  r.set(labels);
  for (let k = 0; k < 3; k++) for (let p = 0; p < 1024; p++) r[labels.length + k * 1024 + p] = (seed * 7 + p * 3 + k * 11) % 256;
  return r;
}

const cat = (parts: Uint8Array[]) => Buffer.concat(parts.map((p) => Buffer.from(p)));

function cifar100Archive(opts: { truncate?: number } = {}) {
  const train = cat([record([3, 17], 0), record([19, 99], 1), record([0, 5], 2)]);
  const test = cat([record([7, 42], 3), record([1, 2], 4)]);
  return tar(
    {
      'cifar-100-binary/train.bin': opts.truncate ? train.subarray(0, train.length - opts.truncate) : train,
      'cifar-100-binary/test.bin': test,
      'cifar-100-binary/fine_label_names.txt': Array.from({ length: 100 }, (_, i) => `fine${i}`).join('\n'),
      'cifar-100-binary/coarse_label_names.txt': Array.from({ length: 20 }, (_, i) => `coarse${i}`).join('\n'),
    },
    { gzip: true },
  );
}

function dir(files: Record<string, Buffer>) {
  const d = mkdtempSync(join(tmpdir(), 'ablate-cifar-'));
  for (const [name, buf] of Object.entries(files)) {
    mkdirSync(join(d, name, '..'), { recursive: true });
    writeFileSync(join(d, name), buf);
  }
  return { dataDir: d, download: false };
}

describe('CIFAR-100 binary reader', () => {
  it('returns fine labels, coarse labels and HWC pixels from an archive in the official format', async () => {
    const ctx = dir({ 'cifar-100-binary.tar.gz': cifar100Archive() });
    const fine = await createDataset({ name: 'cifar100' }, ctx);
    expect([fine.classes, fine.train.size, fine.test.size, fine.height, fine.width, fine.channels]).toEqual([100, 3, 2, 32, 32, 3]);
    expect(Array.from(fine.train.labels)).toEqual([17, 99, 5]);
    expect(Array.from(fine.test.labels)).toEqual([42, 2]);
    expect(fine.classNames![99]).toBe('fine99');
    expect(fine.mean).toEqual([0.5070751592371323, 0.48654887331495095, 0.4409178433670343]);
    // Image 1, pixel (row 2, col 5) = p 69: R = (7 + 207) % 256, G = (7 + 207 + 11), B = (7 + 207 + 22).
    const px = 1 * 3072 + (2 * 32 + 5) * 3;
    expect(Array.from(fine.train.images.subarray(px, px + 3))).toEqual([214, 225, 236]);
    const coarse = await createDataset({ name: 'cifar100', labels: 'coarse' }, ctx);
    expect(coarse.classes).toBe(20);
    expect(Array.from(coarse.train.labels)).toEqual([3, 19, 0]);
    expect(coarse.classNames![19]).toBe('coarse19');
    expect(coarse.fingerprint).not.toBe(fine.fingerprint);
  });

  it('reads an extracted folder as well as the archive', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ablate-cifar-'));
    mkdirSync(join(d, 'cifar-100-binary'));
    writeFileSync(join(d, 'cifar-100-binary', 'train.bin'), cat([record([1, 10], 0)]));
    writeFileSync(join(d, 'cifar-100-binary', 'test.bin'), cat([record([2, 20], 1)]));
    const ds = await createDataset({ name: 'cifar100' }, { dataDir: d, download: false });
    expect([Array.from(ds.train.labels), Array.from(ds.test.labels)]).toEqual([[10], [20]]);
  });

  it('names the file and the problem for a truncated archive, a corrupt gzip, a bad label and a missing archive', async () => {
    await expect(createDataset({ name: 'cifar100' }, dir({ 'cifar-100-binary.tar.gz': cifar100Archive({ truncate: 100 }) }))).rejects.toThrow(
      /train\.bin: 9122 bytes is not a whole number of 3074-byte CIFAR-100 records/,
    );
    const gz = cifar100Archive();
    await expect(createDataset({ name: 'cifar100' }, dir({ 'cifar-100-binary.tar.gz': gz.subarray(0, gz.length / 2) }))).rejects.toMatchObject({
      code: 'ERR_DATASET_FORMAT',
      message: expect.stringMatching(/cifar-100-binary\.tar\.gz: is truncated or not valid gzip/),
    });
    const bad = tar({ 'cifar-100-binary/train.bin': record([3, 100], 0), 'cifar-100-binary/test.bin': record([3, 1], 0) });
    await expect(createDataset({ name: 'cifar100' }, dir({ 'cifar-100-binary.tar.gz': bad }))).rejects.toThrow(
      /record 0 has label 100, outside 0\.\.99/,
    );
    const empty = dir({});
    await expect(createDataset({ name: 'cifar100' }, empty)).rejects.toMatchObject({
      code: 'ERR_DATASET_UNAVAILABLE',
      message: expect.stringContaining(`put it at ${join(empty.dataDir, 'cifar-100-binary.tar.gz')}`),
    });
  });
});

describe('CIFAR-10 binary reader', () => {
  it('reads five training batches and the test batch with one label byte', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 1; i <= 5; i++) files[`cifar-10-batches-bin/data_batch_${i}.bin`] = record([i], i);
    files['cifar-10-batches-bin/test_batch.bin'] = cat([record([9], 0), record([0], 1)]);
    files['cifar-10-batches-bin/batches.meta.txt'] = Buffer.from('airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n');
    const ds = await createDataset({ name: 'cifar10' }, dir({ 'cifar-10-binary.tar.gz': tar(files, { gzip: true }) }));
    expect([ds.classes, ds.train.size, ds.test.size]).toEqual([10, 5, 2]);
    expect(Array.from(ds.train.labels)).toEqual([1, 2, 3, 4, 5]);
    expect(ds.classNames![9]).toBe('truck');
    expect(ds.train.images[4 * 3072]).toBe((5 * 7) % 256);
  });
});
