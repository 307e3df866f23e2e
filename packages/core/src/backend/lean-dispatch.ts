// Kernels that move no data are not dispatched: an Identity, a Cast to the tensor's own dtype or a Reshape to its own
// shape becomes a second reference to the same buffer. tfjs's engine runs an Identity for every tensor it saves for
// the backward pass (engine.clone), and its gradients reshape and cast to unchanged shapes and dtypes: 1 kernel in 7 of
// a ResNet-50 training step, each a copy on wasm and an eager TensorFlow op on tfjs-node. Tensors are immutable
// (Variable.assign swaps buffers), so a shared, reference-counted buffer is indistinguishable from a copy.
import type { DataType, KernelBackend, NamedAttrMap, NamedTensorMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import * as tfc from '@tensorflow/tfjs-core';

/** The parts of tfjs's Engine this file uses (they are public at run time, not in its typings). */
interface EngineInternals {
  backend: KernelBackend;
  runKernel(kernelName: string, inputs: NamedTensorMap, attrs?: NamedAttrMap): Tensor | Tensor[];
  makeTensorFromTensorInfo(info: TensorInfo, backend?: KernelBackend): Tensor;
  isTapeOn(): boolean;
  addTapeNode(
    scope: string,
    inputs: NamedTensorMap,
    outputs: Tensor[],
    grad: (dy: Tensor) => Record<string, () => Tensor>,
    saved: Tensor[],
    attrs: NamedAttrMap,
  ): void;
  state: { activeScope: { name: string } };
}

const engine = tfc.engine() as unknown as EngineInternals;
const stockIncRef = tfc.KernelBackend.prototype.incRef;

/** A new tensor over `x`'s buffer (no kernel); undefined when the backend does not count references. */
export function aliasOf(x: TensorInfo, shape: number[] = x.shape): Tensor | undefined {
  const backend = engine.backend;
  if (backend.incRef === stockIncRef) return undefined;
  backend.incRef(x.dataId);
  return engine.makeTensorFromTensorInfo({ dataId: x.dataId, shape, dtype: x.dtype }, backend);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The input a kernel would return unchanged, or undefined when the kernel does real work. */
function passThrough(kernelName: string, inputs: NamedTensorMap, attrs?: NamedAttrMap): Tensor | undefined {
  const x = inputs.x;
  if (!x || x.dtype === 'string' || x.dtype === 'complex64') return undefined;
  if (kernelName === 'Identity') return x;
  if (kernelName === 'Cast') return (attrs?.dtype as DataType) === x.dtype ? x : undefined;
  if (kernelName === 'Reshape') {
    const want = attrs?.shape as number[] | undefined;
    if (!want) return undefined;
    return sameShape(tfc.util.inferFromImplicitShape([...want], x.size), x.shape) ? x : undefined;
  }
  return undefined;
}

let installed = false;
let lean = true;

/**
 * Whether the engine trains with the fewest kernels (default): pass-through kernels skipped, BatchNorm in fused
 * kernels with running statistics updated once per step, multi-tensor optimizer updates. Off gives the per-op
 * formulation these replaced, kept for the dispatch benchmark's before/after and the tests that compare the two.
 */
export function leanDispatch(): boolean {
  return lean;
}

export function setLeanDispatch(on: boolean): void {
  lean = on;
}

/** Installs the pass-through in the engine's runKernel (idempotent); the gradient of an alias is an alias of dy. */
export function installLeanDispatch(): void {
  if (installed) return;
  installed = true;
  const stock = engine.runKernel.bind(engine);
  engine.runKernel = (kernelName, inputs, attrs) => {
    const x = lean ? passThrough(kernelName, inputs, attrs) : undefined;
    const y = x && aliasOf(x);
    if (!y) return stock(kernelName, inputs, attrs);
    if (engine.isTapeOn()) {
      engine.addTapeNode(engine.state.activeScope.name, { x: x! }, [y], (dy) => ({ x: () => aliasOf(dy)! }), [], {});
    }
    return y;
  };
}
