// Dataset-level transforms: grey images to 1 or 3 channels and zero padding; a seeded class-balanced subset; a
// long-tailed train split with an exponential imbalance (CIFAR-100-LT: Cao et al. 2019, kaidic/LDAM-DRW).
import { Rng } from '../rng.js';
import type { ImageDataset, ImageSplit } from './dataset.js';

/** Grey IDX data as a dataset: channels replicated to 3 on request, centred zero padding to padTo. */
export function greyDataset(
  name: string,
  d: { train: ImageSplit; test: ImageSplit; height: number; width: number },
  norm: { mean: number; std: number },
  o: { channels: 1 | 3; padTo?: number },
  classNames: string[],
): ImageDataset {
  const size = o.padTo ?? d.height;
  const c = o.channels;
  const convert = (s: ImageSplit): ImageSplit => {
    if (c === 1 && size === d.height) return s;
    const out = new Uint8Array(s.size * size * size * c);
    const off = Math.floor((size - d.height) / 2);
    for (let i = 0; i < s.size; i++) {
      for (let y = 0; y < d.height; y++) {
        for (let x = 0; x < d.width; x++) {
          const v = s.images[(i * d.height + y) * d.width + x]!;
          const o2 = ((i * size + y + off) * size + x + off) * c;
          for (let k = 0; k < c; k++) out[o2 + k] = v;
        }
      }
    }
    return { ...s, images: out };
  };
  return {
    name,
    classes: 10,
    height: size,
    width: size,
    channels: c,
    mean: Array(c).fill(norm.mean),
    std: Array(c).fill(norm.std),
    train: convert(d.train),
    test: convert(d.test),
    classNames,
  };
}

/** Keeps the images at `indices`, in that order. */
export function pick(s: ImageSplit, indices: ArrayLike<number>, pixels: number): ImageSplit {
  const images = new Uint8Array(indices.length * pixels);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    images.set(s.images.subarray(j * pixels, (j + 1) * pixels), i * pixels);
    labels[i] = s.labels[j]!;
  }
  return { images, labels, size: indices.length };
}

/** Per-class index lists, each shuffled with `rng`. */
function byClass(s: ImageSplit, classes: number, rng: Rng): number[][] {
  const lists = Array.from({ length: classes }, () => [] as number[]);
  for (let i = 0; i < s.size; i++) lists[s.labels[i]!]!.push(i);
  return lists.map((l) => Array.from(rng.permutation(l.length), (k) => l[k]!));
}

/** A class-balanced sample of n images (classes take turns), in original index order. */
export function subsetSplit(s: ImageSplit, n: number, classes: number, pixels: number, rng: Rng): ImageSplit {
  if (n >= s.size) return s;
  const lists = byClass(s, classes, rng);
  const chosen: number[] = [];
  for (let round = 0; chosen.length < n; round++) {
    for (const l of lists) if (round < l.length && chosen.length < n) chosen.push(l[round]!);
  }
  return pick(
    s,
    chosen.sort((a, b) => a - b),
    pixels,
  );
}

/** Images kept per class: n_max·(1/imbalance)^(c/(C-1)), n_max = the largest class (LDAM-DRW's get_img_num_per_cls). */
export function longTailCounts(nMax: number, classes: number, imbalance: number): number[] {
  return Array.from({ length: classes }, (_, c) => Math.trunc(nMax * (1 / imbalance) ** (c / (classes - 1))));
}

export function longTailSplit(s: ImageSplit, classes: number, imbalance: number, pixels: number, rng: Rng): ImageSplit {
  const lists = byClass(s, classes, rng);
  const counts = longTailCounts(Math.max(...lists.map((l) => l.length)), classes, imbalance);
  const chosen = lists.flatMap((l, c) => l.slice(0, counts[c]!));
  return pick(
    s,
    chosen.sort((a, b) => a - b),
    pixels,
  );
}

/** Applies the common options every dataset takes: longTail on train, then subsets. */
export function applyCommonOptions(
  ds: ImageDataset,
  o: { longTail?: { imbalance: number }; subset?: { train?: number; test?: number }; dataSeed: number },
): ImageDataset {
  const pixels = ds.height * ds.width * ds.channels;
  const rng = new Rng(o.dataSeed, `dataset/${ds.name}`);
  let { train, test } = ds;
  if (o.longTail) train = longTailSplit(train, ds.classes, o.longTail.imbalance, pixels, rng.fork('long-tail'));
  if (o.subset?.train) train = subsetSplit(train, o.subset.train, ds.classes, pixels, rng.fork('subset/train'));
  if (o.subset?.test) test = subsetSplit(test, o.subset.test, ds.classes, pixels, rng.fork('subset/test'));
  return { ...ds, train, test };
}
