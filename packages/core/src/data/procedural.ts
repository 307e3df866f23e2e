// A seeded synthetic image dataset, CIFAR-shaped by default, learnable without downloads. Each class is a texture:
// a plaid of two gratings at ±θ with its own θ and frequency (mirror-symmetric, so a horizontal flip keeps the
// class, as it does for natural images). A sample draws the plaid at random phases and in
// random colours inside a soft disc at a random place, adds a random distractor blob, scales brightness and adds
// noise. Class evidence is local and translation-invariant (what convolutions find), not a colour or a fixed position.
import { Rng } from '../rng.js';
import { channelStats, type ImageDataset, type ImageSplit } from './dataset.js';
import { registerDataset } from './registry.js';

export interface ProceduralOptions {
  classes: number;
  trainSize: number;
  testSize: number;
  imageSize: number;
  /** Std of the additive Gaussian noise, in 0-255 units. */
  noise: number;
  /** Largest offset of the texture's centre from the image centre, in pixels. */
  maxShift: number;
  dataSeed: number;
}

const CHANNELS = 3;
/** Orientation jitter per sample, as a fraction of the gap between neighbouring class orientations. */
const ANGLE_JITTER = 0.3;

interface Texture {
  angle: number;
  /** Cycles per pixel. */
  freq: number;
}

export function proceduralDataset(o: ProceduralOptions): ImageDataset {
  const rng = new Rng(o.dataSeed, 'procedural');
  const textures = classTextures(o.classes);
  const train = sampleSplit(o, textures, o.trainSize, rng.fork('train'));
  const test = sampleSplit(o, textures, o.testSize, rng.fork('test'));
  return {
    name: 'procedural',
    classes: o.classes,
    height: o.imageSize,
    width: o.imageSize,
    channels: CHANNELS,
    ...channelStats(train, CHANNELS),
    train,
    test,
    classNames: textures.map((t, c) => `c${c}_${Math.round((t.angle * 180) / Math.PI)}deg_${t.freq.toFixed(2)}`),
  };
}

/** A plaid angles θ in [0°, 90°) × L frequency levels in 0.12-0.42 cycles/px, A ≈ 2L (10 classes: 5 × 2). */
function classTextures(classes: number): Texture[] {
  const angles = angleCount(classes);
  const levels = Math.ceil(classes / angles);
  return Array.from({ length: classes }, (_, c) => ({
    angle: (Math.PI / 2) * ((c % angles) / angles),
    freq: levels === 1 ? 0.25 : 0.12 + (0.3 * Math.floor(c / angles)) / (levels - 1),
  }));
}

function angleCount(classes: number): number {
  return Math.min(classes, Math.ceil(Math.sqrt(2 * classes)));
}

function sampleSplit(o: ProceduralOptions, textures: Texture[], n: number, rng: Rng): ImageSplit {
  const s = o.imageSize;
  const images = new Uint8Array(n * s * s * CHANNELS);
  const labels = new Int32Array(n);
  const order = rng.permutation(n);
  const angleGap = Math.PI / 2 / angleCount(o.classes);
  for (let i = 0; i < n; i++) {
    const c = order[i]! % o.classes;
    labels[i] = c;
    const t = textures[c]!;
    const angle = t.angle + rng.uniform(-ANGLE_JITTER, ANGLE_JITTER) * angleGap;
    const freq = t.freq * rng.uniform(0.9, 1.1);
    const phase1 = rng.uniform(0, 2 * Math.PI);
    const phase2 = rng.uniform(0, 2 * Math.PI);
    const cx = s / 2 + rng.uniform(-o.maxShift, o.maxShift);
    const cy = s / 2 + rng.uniform(-o.maxShift, o.maxShift);
    const radius = rng.uniform(0.3, 0.5) * s;
    const bg = [0, 1, 2].map(() => rng.uniform(20, 235));
    const fg = bg.map((b) => (b < 128 ? rng.uniform(b + 60, 255) : rng.uniform(0, b - 60)));
    const blob = { x: rng.uniform(0, s), y: rng.uniform(0, s), r: rng.uniform(0.08, 0.2) * s, color: [0, 1, 2].map(() => rng.uniform(0, 255)) };
    const gain = rng.uniform(0.8, 1.2);
    const kx = 2 * Math.PI * freq * Math.cos(angle);
    const ky = 2 * Math.PI * freq * Math.sin(angle);
    const base = i * s * s * CHANNELS;
    for (let y = 0; y < s; y++) {
      for (let x = 0; x < s; x++) {
        const d2 = (x - cx) ** 2 + (y - cy) ** 2;
        const disc = 1 / (1 + Math.exp((Math.sqrt(d2) - radius) / 1.5));
        const wave = disc * 0.25 * (2 + Math.sin(kx * x + ky * y + phase1) + Math.sin(-kx * x + ky * y + phase2));
        const wb = Math.exp(-((x - blob.x) ** 2 + (y - blob.y) ** 2) / (2 * blob.r * blob.r));
        const dst = base + (y * s + x) * CHANNELS;
        for (let k = 0; k < CHANNELS; k++) {
          const p = bg[k]! + wave * (fg[k]! - bg[k]!);
          const v = (p + wb * (blob.color[k]! - p)) * gain + o.noise * rng.normal();
          images[dst + k] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
        }
      }
    }
  }
  return { images, labels, size: n };
}

registerDataset('procedural', async (o) => proceduralDataset(o as unknown as ProceduralOptions));
