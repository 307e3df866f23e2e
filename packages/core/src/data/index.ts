// Datasets and batching; importing this index registers every dataset.
import './procedural.js';

export * from './dataset.js';
export * from './loader.js';
export { createDataset, datasetRegistry, listDatasets, registerDataset } from './registry.js';
export { proceduralDataset } from './procedural.js';
