// The augmentation registry and factory: `createAugmentation({name: 'hflip', p: 0.5})`.
import { augmentations, type AugmentationEntry } from '@ablate/spec';
import { createRegistry } from '../registry.js';
import type { AugmentFactory, AugmentOp } from './image.js';

export const augmentationRegistry = createRegistry<AugmentationEntry, AugmentFactory>(augmentations);
export const registerAugmentation = (name: string, f: AugmentFactory) => augmentationRegistry.register(name, f);
export const listAugmentations = (filter?: string) => augmentationRegistry.list(filter);

export function createAugmentation(config: string | ({ name: string } & Record<string, unknown>)): AugmentOp {
  const { entry, factory, options } = augmentationRegistry.resolve(config);
  const op = factory(options);
  if (op.stage !== entry.stage) throw new Error(`augmentation '${entry.name}' declares stage ${entry.stage} but runs at ${op.stage}`);
  return op;
}
