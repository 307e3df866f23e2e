// The optimizer contract: PyTorch-style update rules over named tf.Variables, lr set by the schedule each step, and a
// state that round-trips through checkpoints. BaseOptimizer holds what every per-parameter rule shares, WrapperOptimizer
// what every optimizer over a base optimizer (Lookahead, SAM) shares.
import type { OptimizerEntry } from '@ablate/spec';
import { leanDispatch } from '../backend/lean-dispatch.js';
import { tf, type NamedTensorMap, type Tensor, type Variable } from '../tf.js';
import { FlatGroup } from './flat-group.js';

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

/**
 * One slot variable per parameter, created lazily (like PyTorch's optimizer.state); or, for a FlatGroup, one flat
 * variable over the group's parameters. The two forms convert into each other when the optimizer switches between
 * its per-parameter and multi-tensor paths; the saved state is always per parameter, in parameter order.
 */
export class Slots {
  private readonly slots = new Map<string, Map<string, Variable>>();
  private readonly groups = new Map<string, FlatGroup>();

  /** `order`: parameter names in the order the saved state lists them. */
  constructor(private readonly order: readonly string[] = []) {}

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

  /**
   * Makes every slot of the group's parameters one flat variable under `group.key`. False when a slot exists for only
   * some of them (possible only after steps that skipped parameters without gradients): the caller goes per parameter.
   */
  gather(group: FlatGroup): boolean {
    this.groups.set(group.key, group);
    for (const m of this.slots.values()) {
      const have = group.names.filter((n) => m.has(n)).length;
      if (have > 0 && have < group.names.length) return false;
    }
    for (const m of this.slots.values()) {
      if (m.has(group.key) || !m.has(group.names[0]!)) continue;
      const parts = group.names.map((n) => m.get(n)!);
      m.set(
        group.key,
        tf.variable(
          tf.tidy(() => group.flatten(parts)),
          false,
        ),
      );
      for (const n of group.names) m.delete(n);
      tf.dispose(parts);
    }
    return true;
  }

  /** Splits every flat slot back into per-parameter variables. */
  scatter(): void {
    for (const m of this.slots.values()) {
      for (const [key, group] of this.groups) {
        const flat = m.get(key);
        if (!flat) continue;
        const parts = tf.tidy(() => group.unflatten(flat).map((t) => tf.clone(t)));
        for (const [i, n] of group.names.entries()) m.set(n, tf.variable(parts[i]!, false));
        tf.dispose(parts);
        m.delete(key);
        flat.dispose();
      }
    }
  }

  async serialize(): Promise<OptimizerState['slots']> {
    const out: OptimizerState['slots'] = {};
    const rank = new Map(this.order.map((n, i) => [n, i]));
    for (const [slot, m] of this.slots) {
      const entries: [string, { shape: number[]; values: Float32Array }][] = [];
      for (const [key, v] of m) {
        const values = (await v.data()) as Float32Array;
        const group = this.groups.get(key);
        if (!group) {
          entries.push([key, { shape: v.shape, values }]);
          continue;
        }
        let offset = 0;
        group.names.forEach((n, i) => {
          entries.push([n, { shape: group.vars[i]!.shape, values: values.slice(offset, offset + group.sizes[i]!) }]);
          offset += group.sizes[i]!;
        });
      }
      entries.sort(([a], [b]) => (rank.get(a) ?? Number.MAX_SAFE_INTEGER) - (rank.get(b) ?? Number.MAX_SAFE_INTEGER));
      out[slot] = Object.fromEntries(entries);
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

/** Splits parameters into flat groups by a per-parameter key (weight decay), in first-appearance order. */
export function flatGroups(params: NamedParams, keyOf: (p: Variable) => string | number): FlatGroup[] {
  const byKey = new Map<string | number, NamedParams>();
  for (const np of params) {
    const k = keyOf(np[1]);
    if (!byKey.has(k)) byKey.set(k, []);
    byKey.get(k)!.push(np);
  }
  return [...byKey.values()].map(
    (g, i) =>
      new FlatGroup(
        `\u0000group${i}`,
        g.map(([n]) => n),
        g.map(([, v]) => v),
      ),
  );
}

export interface BaseOptions {
  lr: number;
  weightDecay?: number;
  weightDecayExclude?: 'none' | 'bias_bn';
}

/**
 * Shared machinery: step counting, slots, per-parameter weight decay (with the bias/BN exclusion), state I/O. When
 * every parameter has a gradient the update rule runs once per weight-decay group on flat tensors (multi-tensor
 * update: a handful of kernels for the whole model); otherwise once per parameter, skipping those without one, as
 * PyTorch does. Both paths apply the same elementwise arithmetic.
 */
export abstract class BaseOptimizer implements Optimizer {
  lr: number;
  protected steps = 0;
  protected readonly slots: Slots;
  private groups?: FlatGroup[];

  constructor(
    readonly entry: OptimizerEntry,
    protected readonly params: NamedParams,
    protected readonly base: BaseOptions,
  ) {
    this.lr = base.lr;
    this.slots = new Slots(params.map(([n]) => n));
  }

  /** Weight decay for one parameter: 0 for biases and BatchNorm parameters (rank ≤ 1) when they are excluded. */
  protected decay(p: Variable): number {
    if (this.base.weightDecayExclude === 'bias_bn' && p.rank <= 1) return 0;
    return this.base.weightDecay ?? 0;
  }

  /**
   * The update of one parameter for step `t` (1-based), inside tf.tidy. On the multi-tensor path `name` is a group's
   * key and `p`, `g` are the group's flat parameters and gradient: the rule must be elementwise.
   */
  protected abstract update(name: string, p: Variable, g: Tensor, wd: number, t: number): void;

  step(grads: NamedTensorMap): void {
    const t = ++this.steps;
    if (leanDispatch() && this.params.length > 1 && this.params.every(([n]) => grads[n])) {
      this.groups ??= flatGroups(this.params, (p) => this.decay(p));
      if (this.groups.every((g) => this.slots.gather(g))) {
        for (const group of this.groups) {
          const p = group.params();
          tf.tidy(() => this.update(group.key, p, group.flatten(group.names.map((n) => grads[n]!)), this.decay(group.vars[0]!), t));
          group.write();
        }
        return;
      }
    }
    this.slots.scatter();
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
    for (const g of this.groups ?? []) g.dispose();
  }
}

/** An optimizer over a base optimizer: the lr is the base's, and its own slots are released with the base's. */
export abstract class WrapperOptimizer implements Optimizer {
  protected readonly slots: Slots;
  private flatGroup?: FlatGroup;

  constructor(
    readonly entry: OptimizerEntry,
    protected readonly params: NamedParams,
    readonly inner: Optimizer,
  ) {
    this.slots = new Slots(params.map(([n]) => n));
  }

  /** All parameters as one flat group, when the multi-tensor path applies (lean dispatch, a gradient for each). */
  protected flat(grads?: NamedTensorMap): FlatGroup | undefined {
    if (!leanDispatch() || this.params.length < 2 || (grads && !this.params.every(([n]) => grads[n]))) return undefined;
    this.flatGroup ??= new FlatGroup(
      `\u0000${this.entry.name}`,
      this.params.map(([n]) => n),
      this.params.map(([, v]) => v),
    );
    return this.flatGroup;
  }

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
    this.flatGroup?.dispose();
    this.inner.dispose();
  }
}
