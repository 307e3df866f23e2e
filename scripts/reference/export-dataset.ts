// Writes the images a trial config trains and tests on (after subset/long-tail selection) as raw files, so a PyTorch
// reference trains on exactly the same data: <out>/{train,test}.u8 (N×H×W×C, HWC), {train,test}.labels.i32, meta.json.
// Usage: npx tsx scripts/reference/export-dataset.ts '<dataset config JSON>' <out dir>
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataset } from '@ablate/core';
import { datasets } from '@ablate/spec';

const [json, out] = process.argv.slice(2);
if (!json || !out) throw new Error('usage: export-dataset.ts <dataset config JSON> <out dir>');
const ds = await createDataset(datasets.schema().parse(JSON.parse(json)));
mkdirSync(out, { recursive: true });
for (const split of ['train', 'test'] as const) {
  writeFileSync(join(out, `${split}.u8`), ds[split].images);
  writeFileSync(join(out, `${split}.labels.i32`), new Uint8Array(ds[split].labels.buffer, ds[split].labels.byteOffset, ds[split].labels.byteLength));
}
const meta = {
  name: ds.name,
  classes: ds.classes,
  height: ds.height,
  width: ds.width,
  channels: ds.channels,
  mean: ds.mean,
  std: ds.std,
  train: ds.train.size,
  test: ds.test.size,
  fingerprint: ds.fingerprint,
};
writeFileSync(join(out, 'meta.json'), JSON.stringify(meta, null, 2));
process.stdout.write(`${JSON.stringify(meta)}\n`);
