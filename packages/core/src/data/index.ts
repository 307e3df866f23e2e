// Datasets and batching; importing this index registers every dataset.
import './cifar10.js';
import './cifar100.js';
import './fashion-mnist.js';
import './image-folder.js';
import './mnist.js';
import './procedural.js';

export * from './dataset.js';
export * from './errors.js';
export * from './files.js';
export * from './loader.js';
export { createDataset, datasetRegistry, fingerprint, listDatasets, registerDataset } from './registry.js';
export { CIFAR10, CIFAR100, loadCifar, parseCifarRecords } from './cifar-binary.js';
export { readTar } from './archive.js';
export { parseIdx } from './idx.js';
export { proceduralDataset } from './procedural.js';
export { longTailCounts, subsetSplit } from './transforms.js';
