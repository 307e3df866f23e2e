// CutMix on a normalised batch: a box of area (1-λ), λ ~ Beta(α, α), pasted from a permuted batch; λ is then
// recomputed from the clipped box and the loss mixes the labels by it. Yun et al. 2019 (arXiv:1905.04899), clovaai/CutMix-PyTorch.
import type { Rng } from '../rng.js';
import type { BatchOp, BatchTensor } from './image.js';
import { registerAugmentation } from './registry.js';

/** Pastes rows y1..y2-1, columns x1..x2-1 from the permuted batch and sets λ = 1 - box area / image area. */
export function cutmixBox(b: BatchTensor, perm: Int32Array, y1: number, y2: number, x1: number, x2: number): void {
  const { height: H, width: W, channels: c } = b;
  const n = H * W * c;
  const src = b.x.slice();
  for (let i = 0; i < b.size; i++) {
    for (let y = y1; y < y2; y++) {
      const off = (y * W + x1) * c;
      b.x.set(src.subarray(perm[i]! * n + off, perm[i]! * n + off + (x2 - x1) * c), i * n + off);
    }
  }
  b.mix = { y2: Int32Array.from(perm, (j) => b.y[j]!), lam: 1 - ((y2 - y1) * (x2 - x1)) / (H * W) };
}

export function cutmix(alpha: number, p: number): BatchOp {
  return {
    name: 'cutmix',
    stage: 'batch',
    apply(b, rng: Rng) {
      if (rng.random() >= p) return;
      const lam = rng.beta(alpha, alpha);
      const perm = rng.permutation(b.size);
      const cut = Math.sqrt(1 - lam);
      const ch = Math.trunc(b.height * cut);
      const cw = Math.trunc(b.width * cut);
      const cy = rng.int(0, b.height - 1);
      const cx = rng.int(0, b.width - 1);
      const clip = (v: number, hi: number) => Math.max(0, Math.min(hi, v));
      cutmixBox(
        b,
        perm,
        clip(cy - (ch >> 1), b.height),
        clip(cy + (ch >> 1), b.height),
        clip(cx - (cw >> 1), b.width),
        clip(cx + (cw >> 1), b.width),
      );
    },
  };
}

registerAugmentation('cutmix', (o) => cutmix(o.alpha as number, o.p as number));
