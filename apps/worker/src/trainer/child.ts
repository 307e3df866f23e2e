// The trainer child process: receives one trial over IPC, trains it with @ablate/core, reports each epoch, exits.
// Training blocks its own event loop only; the parent's stays free to renew the BullMQ lock.
import { AblateError, execute, initBackend, satisfies } from '@ablate/core';
import type { FromTrainer, ToTrainer } from './protocol.js';

const send = (m: FromTrainer) => new Promise<void>((resolve) => process.send!(m, () => resolve()));
const abort = new AbortController();
/** Resolves the checkpoint the parent is copying to the blob store. */
let stored: (() => void) | undefined;

process.on('message', (m: ToTrainer) => {
  if (m.type === 'stop') abort.abort();
  else if (m.type === 'checkpoint-stored') stored?.();
  else if (m.type === 'probe') void probe(m.backend);
  else void run(m);
});

async function probe(choice: Extract<ToTrainer, { type: 'probe' }>['backend']): Promise<void> {
  try {
    await send({ type: 'probed', backend: await initBackend(choice) });
    process.exit(0);
  } catch (err) {
    await send({ type: 'error', code: (err as AblateError).code ?? 'ERR_TRAINER', message: (err as Error).message, retryable: false });
    process.exit(1);
  }
}
process.on('SIGTERM', () => abort.abort());
// A terminal's Ctrl-C reaches every process of its group, this one too: stop as for SIGTERM (checkpoint, an
// interruption the worker records) instead of dying, which the worker would count as a crash and an attempt.
process.on('SIGINT', () => abort.abort());
// The worker died (e.g. SIGKILL): nobody will record this trial, and the queue will give it to another worker.
process.on('disconnect', () => process.exit(1));

let device = 'unknown device';

async function run(m: Extract<ToTrainer, { type: 'run' }>): Promise<void> {
  try {
    const backend = await initBackend(m.backend);
    device = `${backend.name} (${backend.device}${process.env.CUDA_VISIBLE_DEVICES ? ` ${process.env.CUDA_VISIBLE_DEVICES}` : ''})`;
    if (!satisfies(backend, m.requirement)) {
      throw new AblateError(
        'ERR_BACKEND_MISMATCH',
        `sweep requires backend '${m.requirement}' but this worker has ${backend.name} (${backend.device})`,
        { retryable: true },
      );
    }
    const result = await execute(m.config, {
      signal: abort.signal,
      checkpoint: m.checkpoint,
      tensorboardDir: m.tensorboardDir,
      onStart: (start) => send({ type: 'started', start }),
      onEpochEnd: (metrics) => send({ type: 'epoch', metrics }),
      onArtifact: (artifact) => send({ type: 'artifact', artifact }),
      // Training waits while the parent copies the file (the store keeps the newest two, so the next save could
      // otherwise delete it mid-copy).
      onCheckpoint: async (checkpoint) => {
        const copied = new Promise<void>((resolve) => {
          stored = resolve;
        });
        await send({ type: 'checkpoint', checkpoint });
        await copied;
      },
    });
    await send({ type: 'done', final: result.final });
    process.exit(0);
  } catch (err) {
    const e = err as Error;
    const known = err instanceof AblateError;
    const oom = outOfMemory(e);
    await send({
      type: 'error',
      code: oom ? 'ERR_OUT_OF_MEMORY' : known ? (err as AblateError).code : 'ERR_TRAINER',
      message: oom ? `out of memory on ${device}: ${explain(e)}` : explain(e),
      // Unknown errors inside the engine are bugs or bad configs: retrying gives the same result.
      retryable: known ? (err as AblateError).retryable : false,
    });
    process.exit(1);
  }
}

/** wasm's heap exhausted, or TensorFlow's allocator (CUDA or host) refusing. */
function outOfMemory(e: Error): boolean {
  return (
    (e.name === 'RuntimeError' && e.message.startsWith('Aborted(')) || /\bOOM\b|out of memory|ResourceExhausted|failed to allocate/i.test(e.message)
  );
}

/** wasm's bare "Aborted()" is nearly always its heap (at most 4 GiB) running out: say so and what to change. */
function explain(e: Error): string {
  if (e.name === 'RuntimeError' && e.message.startsWith('Aborted(')) {
    return `the wasm backend aborted, most likely out of its 4 GiB memory (lower batchSize, a smaller model, or a tfjs-node worker): ${e.message}`;
  }
  return e.message;
}
