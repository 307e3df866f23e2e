// The optimizer contract: PyTorch-style update rules over named tf.Variables, lr set by the schedule each step, and a
// state that round-trips through checkpoints. BaseOptimizer holds what every per-parameter rule shares, WrapperOptimizer
// what every optimizer over a base optimizer (Lookahead, SAM) shares.
import type { OptimizerEntry } from '@ablate/spec';
import { tf, type NamedTensorMap, type Tensor, type Variable } from '../tf.js';

export type NamedParams = [string, Variable][];

/** Serialisable optimizer state: step counts, per-parameter slot arrays, and the wrapped optimizer's state. */
export interface OptimizerState {
  step: number;
  slots: Record<string, Record<string, { shape: number[]; values: Float32Array }>>;
  inner?: OptimizerState;
}

export interface Optimizer {
  readonly entry: OptimizerEntry;
  /** Learning rate for the next step (the schedule writes it; wrappers forward it to their base). */
  lr: number;
  /** Applies one update; `grads` is keyed by parameter name as in `params`. Disposes nothing it was given. */
  step(grads: NamedTensorMap): void;
  /** Two-pass optimizers: the first gradient moves the weights before the second forward/backward pass. */
  firstStep?(grads: NamedTensorMap): void;
  getState(): Promise<OptimizerState>;
  setState(state: OptimizerState): void;
  dispose(): void;
}

export type OptimizerFactory = (options: Record<string, unknown>, params: NamedParams) => Optimizer;

/** One slot variable per parameter, created lazily (like PyTorch's optimizer.state). */
export class Slots {
  private readonly slots = new Map<string, Map<string, Variable>>();

  get(slot: string, param: string): Variable | undefined {
    return this.slots.get(slot)?.get(param);
  }

  set(slot: string, param: string, v: Variable): void {
    if (!this.slots.has(slot)) this.slots.set(slot, new Map());
    this.slots.get(slot)!.set(param, v);
  }

  /** The slot, created as zeros (or a copy of `init`) on first use. */
  ensure(slot: string, param: string, like: Tensor, init?: Tensor): Variable {
    let v = this.get(slot, param);
    if (!v) {
      v = tf.variable(init ? tf.clone(init) : tf.zerosLike(like), false);
      this.set(slot, param, v);
    }
    return v;
  }

  async serialize(): Promise<OptimizerState['slots']> {
    const out: OptimizerState['slots'] = {};
    for (const [slot, m] of this.slots) {
      out[slot] = {};
      for (const [param, v] of m) out[slot][param] = { shape: v.shape, values: (await v.data()) as Float32Array };
    }
    return out;
  }

  restore(state: OptimizerState['slots']): void {
    this.dispose();
    for (const [slot, params] of Object.entries(state)) {
      for (const [param, { shape, values }] of Object.entries(params)) this.set(slot, param, tf.variable(tf.tensor(values, shape), false));
    }
  }

  dispose(): void {
    for (const m of this.slots.values()) for (const v of m.values()) v.dispose();
    this.slots.clear();
  }
}

export interface BaseOptions {
  lr: number;
  weightDecay?: number;
  weightDecayExclude?: 'none' | 'bias_bn';
}

/** Shared machinery: step counting, slots, per-parameter weight decay (with the bias/BN exclusion), state I/O. */
export abstract class BaseOptimizer implements Optimizer {
  lr: number;
  protected steps = 0;
  protected readonly slots = new Slots();

  constructor(
    readonly entry: OptimizerEntry,
    protected readonly params: NamedParams,
    protected readonly base: BaseOptions,
  ) {
    this.lr = base.lr;
  }

  /** Weight decay for one parameter: 0 for biases and BatchNorm parameters (rank ≤ 1) when they are excluded. */
  protected decay(p: Variable): number {
    if (this.base.weightDecayExclude === 'bias_bn' && p.rank <= 1) return 0;
    return this.base.weightDecay ?? 0;
  }

  /** The update of one parameter for step `t` (1-based), inside tf.tidy. */
  protected abstract update(name: string, p: Variable, g: Tensor, wd: number, t: number): void;

  step(grads: NamedTensorMap): void {
    const t = ++this.steps;
    for (const [name, p] of this.params) {
      const g = grads[name];
      if (g) tf.tidy(() => this.update(name, p, g, this.decay(p), t));
    }
  }

  async getState(): Promise<OptimizerState> {
    return { step: this.steps, slots: await this.slots.serialize() };
  }

  setState(state: OptimizerState): void {
    this.steps = state.step;
    this.slots.restore(state.slots);
  }

  dispose(): void {
    this.slots.dispose();
  }
}

/** An optimizer over a base optimizer: the lr is the base's, and its own slots are released with the base's. */
export abstract class WrapperOptimizer implements Optimizer {
  protected readonly slots = new Slots();

  constructor(
    readonly entry: OptimizerEntry,
    protected readonly params: NamedParams,
    readonly inner: Optimizer,
  ) {}

  get lr(): number {
    return this.inner.lr;
  }

  set lr(v: number) {
    this.inner.lr = v;
  }

  abstract step(grads: NamedTensorMap): void;
  abstract getState(): Promise<OptimizerState>;
  abstract setState(state: OptimizerState): void;

  dispose(): void {
    this.slots.dispose();
    this.inner.dispose();
  }
}
