// The augmentation registry and factory: `createAugmentation({name: 'hflip', p: 0.5}, ctx)`.
import { augmentations, type AugmentationEntry } from '@ablate/spec';
import { createRegistry } from '../registry.js';
import type { AugmentContext, AugmentFactory, AugmentOp, BatchOp } from './image.js';

export const augmentationRegistry = createRegistry<AugmentationEntry, AugmentFactory>(augmentations);
export const registerAugmentation = (name: string, f: AugmentFactory) => augmentationRegistry.register(name, f);
export const listAugmentations = (filter?: string) => augmentationRegistry.list(filter);

/** Context for ops used outside a dataset (tests, benchmarks): CIFAR-100's constants. */
export const DEFAULT_AUGMENT_CONTEXT: AugmentContext = {
  mean: [0.5070751592371323, 0.48654887331495095, 0.4409178433670343],
  std: [0.2673342858792401, 0.2564384629170883, 0.27615047132568404],
};

export function createAugmentation(
  config: string | ({ name: string } & Record<string, unknown>),
  ctx: AugmentContext = DEFAULT_AUGMENT_CONTEXT,
): AugmentOp | BatchOp {
  const { entry, factory, options } = augmentationRegistry.resolve(config);
  const op = factory(options, ctx);
  if (op.stage !== entry.stage) throw new Error(`augmentation '${entry.name}' declares stage ${entry.stage} but runs at ${op.stage}`);
  return op;
}
