// What a checkpoint captures of a live run and puts back: model parameters and buffers (BatchNorm statistics), the
// optimizer's state with its slot tensors, and the model's random streams. Names follow PyTorch's state_dict.
import type { Module } from '../nn/module.js';
import type { Optimizer, OptimizerState } from '../optim/optimizer.js';
import { tf } from '../tf.js';

export type TensorMap = Map<string, { shape: number[]; values: Float32Array }>;

export interface CapturedState {
  tensors: TensorMap;
  /** OptimizerState with each slot's values replaced by a tensor name. */
  optimizer: unknown;
  rngs: Record<string, number[]>;
}

export async function captureState(model: Module, optimizer: Optimizer): Promise<CapturedState> {
  const tensors: TensorMap = new Map();
  for (const [name, v] of [...model.namedParameters(), ...model.namedBuffers()]) {
    tensors.set(`model/${name}`, { shape: v.shape, values: (await v.data()) as Float32Array });
  }
  const pack = (s: OptimizerState, path: string): unknown => ({
    step: s.step,
    slots: Object.fromEntries(
      Object.entries(s.slots).map(([slot, params]) => [
        slot,
        Object.fromEntries(
          Object.entries(params).map(([p, t]) => {
            const key = `optimizer${path}/${slot}/${p}`;
            tensors.set(key, { shape: t.shape, values: t.values });
            return [p, key];
          }),
        ),
      ]),
    ),
    inner: s.inner && pack(s.inner, `${path}/inner`),
  });
  const optimizerState = pack(await optimizer.getState(), '');
  const rngs = Object.fromEntries(model.namedRngs().map(([n, r]) => [n, r.getState()]));
  return { tensors, optimizer: optimizerState, rngs };
}

export function restoreState(model: Module, optimizer: Optimizer, saved: CapturedState): void {
  for (const [name, v] of [...model.namedParameters(), ...model.namedBuffers()]) {
    const t = saved.tensors.get(`model/${name}`);
    if (!t || t.shape.join() !== v.shape.join()) throw new Error(`checkpoint has no tensor of shape [${v.shape}] for '${name}'`);
    const value = tf.tensor(Float32Array.from(t.values), t.shape);
    v.assign(value);
    value.dispose();
  }
  type Packed = { step: number; slots: Record<string, Record<string, string>>; inner?: Packed };
  const unpack = (p: Packed): OptimizerState => ({
    step: p.step,
    slots: Object.fromEntries(
      Object.entries(p.slots).map(([slot, params]) => [
        slot,
        Object.fromEntries(
          Object.entries(params).map(([name, key]) => {
            const t = saved.tensors.get(key);
            if (!t) throw new Error(`checkpoint lacks optimizer tensor '${key}'`);
            return [name, { shape: t.shape, values: Float32Array.from(t.values) }];
          }),
        ),
      ]),
    ),
    inner: p.inner && unpack(p.inner),
  });
  optimizer.setState(unpack(saved.optimizer as Packed));
  for (const [name, r] of model.namedRngs()) {
    const s = saved.rngs[name];
    if (!s) throw new Error(`checkpoint lacks the random stream '${name}'`);
    r.setState(s);
  }
}
