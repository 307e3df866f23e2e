// CIFAR-100 (Krizhevsky 2009) from the official binary archive, fine (100) or coarse (20) labels, normalised with the
// study's constants (its training-set statistics, seed-recipe §1).
import { CIFAR100, loadCifar } from './cifar-binary.js';
import type { ImageDataset } from './dataset.js';
import { registerDataset } from './registry.js';

export const CIFAR100_MEAN = [0.5070751592371323, 0.48654887331495095, 0.4409178433670343];
export const CIFAR100_STD = [0.2673342858792401, 0.2564384629170883, 0.27615047132568404];

registerDataset('cifar100', async (o, ctx): Promise<ImageDataset> => {
  const d = await loadCifar(CIFAR100, ctx);
  const coarse = o.labels === 'coarse';
  return {
    name: 'cifar100',
    classes: coarse ? 20 : 100,
    height: 32,
    width: 32,
    channels: 3,
    mean: CIFAR100_MEAN,
    std: CIFAR100_STD,
    train: coarse ? { ...d.train, labels: d.trainCoarse! } : d.train,
    test: coarse ? { ...d.test, labels: d.testCoarse! } : d.test,
    classNames: coarse ? d.labelNames.coarse : d.labelNames.fine,
  };
});
