// CIFAR-10 (Krizhevsky 2009) from the official binary archive. Normalisation: its training-set statistics.
import { CIFAR10, loadCifar } from './cifar-binary.js';
import type { ImageDataset } from './dataset.js';
import { registerDataset } from './registry.js';

export const CIFAR10_MEAN = [0.4914, 0.4822, 0.4465];
export const CIFAR10_STD = [0.247, 0.2435, 0.2616];

registerDataset('cifar10', async (_o, ctx): Promise<ImageDataset> => {
  const d = await loadCifar(CIFAR10, ctx);
  return {
    name: 'cifar10',
    classes: 10,
    height: 32,
    width: 32,
    channels: 3,
    mean: CIFAR10_MEAN,
    std: CIFAR10_STD,
    train: d.train,
    test: d.test,
    classNames: d.labelNames.fine,
  };
});
