// A parameter group updated as one flat buffer (multi-tensor updates, as PyTorch's foreach/fused optimizers): the
// gradients are concatenated once, the update rule runs once on the whole group, and one split hands the new values
// back to the parameters. The group's flat copy of the parameters is kept between steps and trusted only while every
// parameter still holds the buffer the group last wrote (anything else that assigns a parameter invalidates it).
import { tf, type Tensor, type Variable } from '../tf.js';

/** The flat parameter copy, shared by every group over the same variables (a wrapper and its base optimizer). */
interface FlatCopy {
  flat?: Variable;
  written: object[];
  users: number;
}
const copies = new Map<string, FlatCopy>();

export class FlatGroup {
  readonly vars: Variable[];
  readonly sizes: number[];
  private readonly copyKey: string;
  private readonly copy: FlatCopy;
  private released = false;

  /** `key` names the group's flat slots; it cannot collide with a parameter name. */
  constructor(
    readonly key: string,
    readonly names: string[],
    vars: Variable[],
  ) {
    this.vars = vars;
    this.sizes = vars.map((v) => v.size);
    this.copyKey = vars.map((v) => v.id).join(',');
    let copy = copies.get(this.copyKey);
    if (!copy) {
      copy = { written: [], users: 0 };
      copies.set(this.copyKey, copy);
    }
    copy.users++;
    this.copy = copy;
  }

  /** One flat tensor from per-parameter tensors in the group's order: one Concat, a Reshape per tensor of rank > 1. */
  flatten(ts: readonly Tensor[]): Tensor {
    const flat = ts.map((t) => (t.rank === 1 ? t : tf.reshape(t, [t.size])));
    return flat.length === 1 ? flat[0]! : tf.concat(flat);
  }

  /** Per-parameter tensors from a flat one: one Split, a Reshape per parameter of rank > 1. */
  unflatten(flat: Tensor): Tensor[] {
    const parts = this.vars.length === 1 ? [flat] : tf.split(flat, this.sizes);
    return parts.map((p, i) => (this.vars[i]!.rank === 1 ? p : tf.reshape(p, this.vars[i]!.shape)));
  }

  /** The parameters as one flat variable: the kept copy when still current, else concatenated afresh. */
  params(): Variable {
    const c = this.copy;
    const current = c.flat && this.vars.every((v, i) => v.dataId === c.written[i]);
    if (!current) {
      const values = tf.tidy(() => this.flatten(this.vars));
      if (c.flat) c.flat.assign(values);
      else c.flat = tf.variable(values, false);
      if (!this.vars.includes(values as Variable)) values.dispose();
      c.written = this.vars.map((v) => v.dataId);
    }
    return c.flat!;
  }

  /** Hands the flat variable's values (after an update assigned it) back to the parameters. */
  write(): void {
    const c = this.copy;
    tf.tidy(() => {
      for (const [i, p] of this.unflatten(c.flat!).entries()) this.vars[i]!.assign(p);
    });
    c.written = this.vars.map((v) => v.dataId);
  }

  /** The parameters' buffers and flat copy now, to put back later without a kernel (SAM's return to w). */
  save(): { flat: Tensor; vars: Tensor[] } {
    const flat = this.params();
    return { flat: tf.keep(tf.clone(flat)), vars: this.vars.map((v) => tf.keep(tf.clone(v))) };
  }

  restore(saved: { flat: Tensor; vars: Tensor[] }): void {
    this.copy.flat!.assign(saved.flat);
    for (const [i, v] of this.vars.entries()) v.assign(saved.vars[i]!);
    this.copy.written = this.vars.map((v) => v.dataId);
    tf.dispose([saved.flat, ...saved.vars]);
  }

  dispose(): void {
    if (this.released) return;
    this.released = true;
    if (--this.copy.users > 0) return;
    this.copy.flat?.dispose();
    copies.delete(this.copyKey);
  }
}
