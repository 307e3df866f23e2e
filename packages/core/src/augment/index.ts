// Augmentations: one op per file; importing this index registers them all.
import './all.js';

export * from './image.js';
export * from './pipeline.js';
export { augmentationRegistry, createAugmentation, DEFAULT_AUGMENT_CONTEXT, listAugmentations, registerAugmentation } from './registry.js';
export { AA_OPS, cutoutAbsAt, effectiveMagnitude } from './autoaugment/ops.js';
export { autoAugment, type AutoAugmentTrace } from './autoaugment/autoaugment.js';
export { CIFAR10_FULL, CIFAR10_PAPER, POLICIES } from './autoaugment/policies.js';
export { augMix } from './augmix.js';
export { cutmixBox } from './cutmix.js';
export { cutoutAt } from './cutout.js';
export { applyMask, gridMaskAt } from './gridmask.js';
export { flipHorizontal } from './hflip.js';
export { mixupWith } from './mixup.js';
export { cropPadded } from './random-crop.js';
export { eraseBox, randomErasing, roundHalfEven } from './random-erasing.js';
export * as pil from './pil/index.js';
