// MixUp on a normalised batch: λ ~ Beta(α, α), x ← λ·x + (1-λ)·x[perm]; the loss becomes λ·L(y) + (1-λ)·L(y[perm]).
// Zhang et al. 2018 (arXiv:1710.09412), facebookresearch/mixup-cifar10.
import type { Rng } from '../rng.js';
import type { BatchOp, BatchTensor } from './image.js';
import { registerAugmentation } from './registry.js';

export function mixupWith(b: BatchTensor, lam: number, perm: Int32Array): void {
  const n = b.height * b.width * b.channels;
  const src = b.x.slice();
  for (let i = 0; i < b.size; i++) {
    const a = i * n;
    const o = perm[i]! * n;
    for (let k = 0; k < n; k++) b.x[a + k] = lam * src[a + k]! + (1 - lam) * src[o + k]!;
  }
  b.mix = { y2: Int32Array.from(perm, (j) => b.y[j]!), lam };
}

export function mixup(alpha: number, p: number): BatchOp {
  return {
    name: 'mixup',
    stage: 'batch',
    apply(b, rng: Rng) {
      if (rng.random() >= p) return;
      mixupWith(b, rng.beta(alpha, alpha), rng.permutation(b.size));
    },
  };
}

registerAugmentation('mixup', (o) => mixup(o.alpha as number, o.p as number));
