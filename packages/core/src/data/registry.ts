// The dataset registry and factory: `await createDataset({name: 'cifar100', subset: {train: 5000}})`.
// The factory applies the options every dataset shares (long-tail, subset) and fingerprints the result.
import { createHash } from 'node:crypto';
import { datasets, type CatalogEntry } from '@ablate/spec';
import { createRegistry } from '../registry.js';
import type { DatasetFactory, ImageDataset } from './dataset.js';
import { dataContextFromEnv, type DataContext } from './files.js';
import { applyCommonOptions } from './transforms.js';

export const datasetRegistry = createRegistry<CatalogEntry, DatasetFactory>(datasets);
export const registerDataset = (name: string, f: DatasetFactory) => datasetRegistry.register(name, f);
export const listDatasets = (filter?: string) => datasetRegistry.list(filter);

export async function createDataset(
  config: string | ({ name: string } & Record<string, unknown>),
  ctx: DataContext = dataContextFromEnv(),
): Promise<ImageDataset> {
  const { factory, options } = datasetRegistry.resolve(config);
  const ds = applyCommonOptions(await factory(options, ctx), options as never);
  return { ...ds, fingerprint: fingerprint(ds) };
}

/** sha256 over both splits' pixels and labels: which data a result was trained on, whatever its path. */
export function fingerprint(ds: ImageDataset): string {
  const h = createHash('sha256');
  for (const s of [ds.train, ds.test]) {
    h.update(s.images);
    h.update(new Uint8Array(s.labels.buffer, s.labels.byteOffset, s.labels.byteLength));
  }
  return h.digest('hex').slice(0, 16);
}
