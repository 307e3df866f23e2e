// The dataset registry and factory: `await createDataset({name: 'procedural', classes: 10, ...})`.
import { datasets, type CatalogEntry } from '@ablate/spec';
import { createRegistry } from '../registry.js';
import type { DatasetFactory, ImageDataset } from './dataset.js';

export const datasetRegistry = createRegistry<CatalogEntry, DatasetFactory>(datasets);
export const registerDataset = (name: string, f: DatasetFactory) => datasetRegistry.register(name, f);
export const listDatasets = (filter?: string) => datasetRegistry.list(filter);

export function createDataset(config: string | ({ name: string } & Record<string, unknown>)): Promise<ImageDataset> {
  const { factory, options } = datasetRegistry.resolve(config);
  return factory(options);
}
