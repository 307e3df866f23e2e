// Backend selection: tfjs-node-gpu, then tfjs-node, then wasm, then cpu; overridable; the choice is recorded with results.
import { createRequire } from 'node:module';
import { BACKEND_CHOICES, type BackendChoice } from '@ablate/spec';
import { BackendUnavailableError } from '../errors.js';
import { tf } from '../tf.js';
import { registerWasmKernels } from './wasm-kernels/index.js';

export { BACKEND_CHOICES, type BackendChoice };

export interface BackendInfo {
  /** tfjs backend name: 'tensorflow' | 'wasm' | 'cpu'. */
  name: string;
  /** Which of BACKEND_CHOICES was loaded. */
  choice: Exclude<BackendChoice, 'auto'>;
  device: 'gpu' | 'cpu';
  /** npm package and version that provided it. */
  package: string;
  version: string;
  /** Human-readable details: SIMD/threads for wasm, CUDA_VISIBLE_DEVICES for the GPU build. */
  details: Record<string, string | number | boolean>;
}

const require = createRequire(import.meta.url);
const ORDER: Exclude<BackendChoice, 'auto'>[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
const PACKAGES: Record<Exclude<BackendChoice, 'auto'>, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

let current: BackendInfo | undefined;

/** The backend chosen by initBackend, if any. */
export function currentBackend(): BackendInfo | undefined {
  return current;
}

/**
 * Loads and activates a backend. `choice` (or env ABLATE_BACKEND) names one; 'auto' tries them in order and
 * takes the first that loads. Calling again with the same choice is a no-op.
 */
export async function initBackend(choice: BackendChoice = envChoice()): Promise<BackendInfo> {
  if (current && (choice === 'auto' || choice === current.choice)) return current;
  const candidates = choice === 'auto' ? ORDER : [choice];
  const failures: string[] = [];
  for (const c of candidates) {
    try {
      current = await load(c);
      return current;
    } catch (err) {
      failures.push(`${c}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw new BackendUnavailableError(`no usable tfjs backend for '${choice}' (${failures.join('; ')})`);
}

function envChoice(): BackendChoice {
  const v = (process.env.ABLATE_BACKEND ?? 'auto').toLowerCase();
  if (!(BACKEND_CHOICES as readonly string[]).includes(v)) {
    throw new BackendUnavailableError(`ABLATE_BACKEND='${v}' is not one of ${BACKEND_CHOICES.join(', ')}`);
  }
  return v as BackendChoice;
}

async function load(choice: Exclude<BackendChoice, 'auto'>): Promise<BackendInfo> {
  const pkg = PACKAGES[choice];
  const details: BackendInfo['details'] = {};
  let name: string;
  if (choice === 'tensorflow-gpu' || choice === 'tensorflow') {
    process.env.TF_FORCE_GPU_ALLOW_GROWTH ??= 'true';
    process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
    await import(pkg);
    name = 'tensorflow';
    if (choice === 'tensorflow-gpu') details.cudaVisibleDevices = process.env.CUDA_VISIBLE_DEVICES ?? 'all';
  } else if (choice === 'wasm') {
    await import(pkg);
    registerWasmKernels();
    name = 'wasm';
  } else {
    name = 'cpu';
  }
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
  if (name === 'wasm') {
    details.simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT' as never) as unknown as boolean;
    details.threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT' as never) ? 'multi' : 1;
  }
  return { name, choice, device: choice === 'tensorflow-gpu' ? 'gpu' : 'cpu', package: pkg, version: packageVersion(pkg), details };
}

function packageVersion(pkg: string): string {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Whether a loaded backend meets a sweep's requirement ('any', 'gpu', or a backend name). */
export function satisfies(info: BackendInfo, requirement: string): boolean {
  if (requirement === 'any') return true;
  if (requirement === 'gpu') return info.device === 'gpu';
  return info.name === requirement;
}
