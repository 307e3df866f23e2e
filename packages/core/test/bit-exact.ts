// Bit-exact comparison of named float32 tensors (checkpoints, optimizer states) that names every tensor that differs,
// so a resume test failing says which weight, BatchNorm buffer or optimizer slot came back wrong, and where.
import type { OptimizerState } from '../src/optim/optimizer.js';

export interface NamedValues {
  shape: readonly number[];
  values: Float32Array;
}

/** Only this tensor's own bytes: a checkpoint's tensors are views into one shared blob. */
const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);

/** Index of the first element whose float32 bit pattern differs (so −0 ≠ +0 and NaNs are told apart), −1 if none. */
export function firstBitDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const [x, y] = [bits(a), bits(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

/** One line per tensor that is missing on either side, has another shape, or differs in any bit; [] when identical. */
export function tensorDifferences(expected: ReadonlyMap<string, NamedValues>, actual: ReadonlyMap<string, NamedValues>): string[] {
  const out: string[] = [];
  for (const name of actual.keys()) if (!expected.has(name)) out.push(`${name}: unexpected`);
  for (const [name, e] of expected) {
    const a = actual.get(name);
    if (!a) out.push(`${name}: missing`);
    else if (a.shape.join() !== e.shape.join()) out.push(`${name}: shape [${a.shape}] instead of [${e.shape}]`);
    else {
      const i = firstBitDifference(e.values, a.values);
      if (i >= 0) out.push(`${name}: element ${i} is ${a.values[i]} instead of ${e.values[i]}`);
    }
  }
  return out;
}

/** An optimizer state as named tensors (`<path>/<slot>/<param>`, nested under `inner/`) and each level's step count. */
export function flattenOptimizerState(
  state: OptimizerState,
  path = 'optimizer',
): { steps: Record<string, number>; tensors: Map<string, NamedValues> } {
  const steps: Record<string, number> = { [path]: state.step };
  const tensors = new Map<string, NamedValues>();
  for (const [slot, params] of Object.entries(state.slots)) {
    for (const [param, t] of Object.entries(params)) tensors.set(`${path}/${slot}/${param}`, t);
  }
  if (state.inner) {
    const inner = flattenOptimizerState(state.inner, `${path}/inner`);
    Object.assign(steps, inner.steps);
    for (const [k, v] of inner.tensors) tensors.set(k, v);
  }
  return { steps, tensors };
}
