// The optimizer contract: PyTorch-style update rules over named tf.Variables, lr set by the schedule each step.
import type { OptimizerEntry } from '@ablate/spec';
import type { NamedTensorMap, Tensor, Variable } from '../tf.js';

export type NamedParams = [string, Variable][];

export interface Optimizer {
  readonly entry: OptimizerEntry;
  /** Learning rate for the next step (the schedule writes it). */
  lr: number;
  /** Applies one update; `grads` is keyed by parameter name as in `params`. Disposes nothing it was given. */
  step(grads: NamedTensorMap): void;
  /** Per-parameter slot tensors (momentum buffers, moments) and the step count, for checkpoints. */
  state(): { step: number; slots: Record<string, Record<string, Tensor>> };
  dispose(): void;
}

export type OptimizerFactory = (options: Record<string, unknown>, params: NamedParams) => Optimizer;

/** Keeps one slot variable per parameter, created lazily (like PyTorch's optimizer.state). */
export class Slots {
  private readonly slots = new Map<string, Map<string, Variable>>();

  get(slot: string, param: string): Variable | undefined {
    return this.slots.get(slot)?.get(param);
  }

  set(slot: string, param: string, v: Variable): void {
    if (!this.slots.has(slot)) this.slots.set(slot, new Map());
    this.slots.get(slot)!.set(param, v);
  }

  toRecord(): Record<string, Record<string, Tensor>> {
    const out: Record<string, Record<string, Tensor>> = {};
    for (const [slot, m] of this.slots) out[slot] = Object.fromEntries(m);
    return out;
  }

  dispose(): void {
    for (const m of this.slots.values()) for (const v of m.values()) v.dispose();
    this.slots.clear();
  }
}
