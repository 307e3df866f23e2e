// Fashion-MNIST (Xiao et al. 2017) from IDX files; Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist)
// is found automatically. Normalisation: its training-set mean and std.
import { registerDataset } from './registry.js';
import { loadIdxDataset } from './idx.js';
import { greyDataset } from './transforms.js';

export const FASHION_MNIST_SPEC = {
  what: 'Fashion-MNIST',
  folder: 'fashion-mnist',
  systemFolders: ['/usr/share/datasets/fashion-mnist'],
  baseUrl: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
  md5: {
    'train-images-idx3-ubyte.gz': '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
    'train-labels-idx1-ubyte.gz': '25c81989df183df01b3e8a0aad5dffbe',
    't10k-images-idx3-ubyte.gz': 'bef4ecab320f06d8554ea6380940ec79',
    't10k-labels-idx1-ubyte.gz': 'bb300cfdad3c16e7a12a480ee83cd310',
  },
};

registerDataset('fashion_mnist', async (o, ctx) =>
  greyDataset('fashion_mnist', await loadIdxDataset(FASHION_MNIST_SPEC, ctx), { mean: 0.286, std: 0.353 }, o as { channels: 1 | 3; padTo?: number }, [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ]),
);
