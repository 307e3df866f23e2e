// Deterministic weights both PyTorch and the engine compute (scripts/fixtures/torch_models.py formula_init) from the
// parameter's name and PyTorch layout, so fixtures need no stored weights.
import { fromTorchPerm, toTorchPerm, type Module } from '../src/nn/module.js';
import { tf } from '../src/tf.js';

/** Java's String.hashCode, unsigned (torch_models.py name_hash). */
function nameHash(name: string): number {
  let h = 0;
  for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return h;
}

/** u in [0, 1): 32-bit integer hash of i·0x9E3779B1 + h, bit for bit as torch_models.py hash_uniform. */
function hashUniform(i: number, h: number): number {
  let x = (Math.imul(i, 0x9e3779b1) + h) >>> 0;
  x = Math.imul((x >>> 16) ^ x, 0x45d9f3b) >>> 0;
  x = Math.imul((x >>> 16) ^ x, 0x45d9f3b) >>> 0;
  return (((x >>> 16) ^ x) >>> 0) / 4294967296;
}

/**
 * With s = 2u-1 uniform in [-1, 1): ≥2-D tensors s·√(6/fan_in) (Kaiming-uniform), 1-D `weight`s (BatchNorm γ)
 * 1 + 0.5·s, other vectors 0.5·s. Same arithmetic as torch_models.py, in float64, then stored as float32.
 */
export function formulaInit(model: Module): void {
  const layouts = new Map(model.parameterLayouts());
  for (const [name, v] of model.namedParameters()) {
    const layout = layouts.get(name)!;
    const perm = toTorchPerm[layout];
    const torchShape = perm ? perm.map((p) => v.shape[p]!) : v.shape;
    const n = v.size;
    const h = nameHash(name);
    const amp = Math.sqrt(6 / (n / torchShape[0]!));
    const value = torchShape.length >= 2 ? (s: number) => amp * s : name.endsWith('weight') ? (s: number) => 1 + 0.5 * s : (s: number) => 0.5 * s;
    const values = Float32Array.from({ length: n }, (_, i) => value(2 * hashUniform(i, h) - 1));
    tf.tidy(() => {
      const t = tf.tensor(values, torchShape);
      const inv = fromTorchPerm[layout];
      v.assign(inv ? tf.transpose(t, inv) : t);
    });
  }
}

/** A gradient in our layout, back in PyTorch's (flattened). */
export function toTorchLayout(model: Module, name: string, grad: tf.Tensor): Float32Array {
  const layout = new Map(model.parameterLayouts()).get(name)!;
  const perm = toTorchPerm[layout];
  return tf.tidy(() => (perm ? tf.transpose(grad, perm) : grad).dataSync() as Float32Array);
}
