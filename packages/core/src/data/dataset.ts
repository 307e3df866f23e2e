// The dataset contract: uint8 HWC images in memory with integer labels, plus the normalisation constants.
export interface ImageSplit {
  /** size × height × width × channels bytes, HWC per image. */
  images: Uint8Array;
  labels: Int32Array;
  size: number;
}

export interface ImageDataset {
  name: string;
  classes: number;
  height: number;
  width: number;
  channels: number;
  /** Per-channel mean and std on the [0,1] scale, applied after ToTensor. */
  mean: number[];
  std: number[];
  train: ImageSplit;
  test: ImageSplit;
  classNames?: string[];
  /** sha256 prefix of the data actually used (set by createDataset). */
  fingerprint?: string;
}

export type DatasetFactory = (options: Record<string, unknown>, ctx: import('./files.js').DataContext) => Promise<ImageDataset>;

/** Per-channel mean and (population) std on the [0,1] scale, as tool/get_mean_std.py computes them. */
export function channelStats(split: ImageSplit, channels: number): { mean: number[]; std: number[] } {
  const sum = new Float64Array(channels);
  const sq = new Float64Array(channels);
  const { images } = split;
  for (let i = 0; i < images.length; i++) {
    const v = images[i]! / 255;
    const k = i % channels;
    sum[k] = sum[k]! + v;
    sq[k] = sq[k]! + v * v;
  }
  const n = images.length / channels;
  const mean = [...sum].map((s) => s / n);
  const std = [...sq].map((s, k) => Math.sqrt(Math.max(s / n - mean[k]! ** 2, 1e-12)));
  return { mean, std };
}
