// MNIST (LeCun et al. 1998) from IDX files; torchvision's mirror and checksums for downloads.
import { registerDataset } from './registry.js';
import { loadIdxDataset } from './idx.js';
import { greyDataset } from './transforms.js';

export const MNIST_SPEC = {
  what: 'MNIST',
  folder: 'mnist',
  systemFolders: ['/usr/share/datasets/mnist'],
  baseUrl: 'https://ossci-datasets.s3.amazonaws.com/mnist/',
  md5: {
    'train-images-idx3-ubyte.gz': 'f68b3c2dcbeaaa9fbdd348bbdeb94873',
    'train-labels-idx1-ubyte.gz': 'd53e105ee54ea40749a09fcbcd1e9432',
    't10k-images-idx3-ubyte.gz': '9fb629c4189551a2d022fa330f9573f3',
    't10k-labels-idx1-ubyte.gz': 'ec29112dd5afa0611ce80d1b7f02629c',
  },
};

registerDataset('mnist', async (o, ctx) =>
  greyDataset('mnist', await loadIdxDataset(MNIST_SPEC, ctx), { mean: 0.1307, std: 0.3081 }, o as { channels: 1 | 3; padTo?: number }, [
    '0',
    '1',
    '2',
    '3',
    '4',
    '5',
    '6',
    '7',
    '8',
    '9',
  ]),
);
