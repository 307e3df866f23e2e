// Deterministic weights both PyTorch and the engine compute (scripts/fixtures/torch_models.py formula_init):
// v[i] = amp·sin(0.37·i + 0.1·h(name)) over the PyTorch layout, so fixtures need no stored weights.
import { fromTorchPerm, toTorchPerm, type Module } from '../src/nn/module.js';
import { tf } from '../src/tf.js';

export function formulaInit(model: Module): void {
  const layouts = new Map(model.parameterLayouts());
  for (const [name, v] of model.namedParameters()) {
    const layout = layouts.get(name)!;
    const perm = toTorchPerm[layout];
    const torchShape = perm ? perm.map((p) => v.shape[p]!) : v.shape;
    const n = v.size;
    const h = [...name].reduce((s, ch) => s + ch.charCodeAt(0), 0) % 97;
    const amp = torchShape.length >= 2 ? 1 / Math.sqrt(n / torchShape[0]!) : 0.5;
    const values = Float32Array.from({ length: n }, (_, i) => amp * Math.sin(0.37 * i + 0.1 * h));
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
