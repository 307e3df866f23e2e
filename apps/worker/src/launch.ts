// Starts one worker process per GPU (CUDA_VISIBLE_DEVICES pinned, tfjs-node-gpu, GPU required) and/or N CPU workers
// on this machine, restarts any that crash (with backoff), and forwards SIGTERM/SIGINT to all of them.
//   npm run worker -- --gpus 0,1,3          one worker per listed GPU
//   npm run worker -- --cpu 2               two CPU workers (backend: auto → wasm where tfjs-node is absent)
//   --name NAME                             names them NAME-gpu0, NAME-cpu0, … (default: the host name)
// SIGUSR2 (or `ablate drain <id>` per worker) drains: each finishes its trial and exits, and is not restarted.
import { spawn, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    gpus: { type: 'string', default: process.env.ABLATE_GPUS ?? '' },
    cpu: { type: 'string', default: '0' },
    name: { type: 'string', default: hostname() },
  },
});
const gpus = values
  .gpus!.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const cpus = Number.parseInt(values.cpu!, 10);
if (gpus.some((g) => !/^\d+$/.test(g)) || !Number.isInteger(cpus) || cpus < 0) {
  process.stderr.write(`usage: launch.ts [--gpus 0,1,...] [--cpu N] [--name NAME]  (got --gpus '${values.gpus}' --cpu '${values.cpu}')\n`);
  process.exit(2);
}
if (!gpus.length && !cpus) {
  process.stderr.write('nothing to start: pass --gpus 0,1 and/or --cpu N\n');
  process.exit(2);
}

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const slots = [
  ...gpus.map((g) => ({
    id: `${values.name}-gpu${g}`,
    env: {
      CUDA_VISIBLE_DEVICES: g,
      ABLATE_BACKEND: process.env.ABLATE_BACKEND ?? 'tensorflow-gpu',
      WORKER_REQUIRE: 'gpu',
      TF_FORCE_GPU_ALLOW_GROWTH: 'true',
    },
  })),
  ...Array.from({ length: cpus }, (_, i) => ({ id: `${values.name}-cpu${i}`, env: { CUDA_VISIBLE_DEVICES: '' } })),
];

let stopping = false;
const children = new Map<string, ChildProcess>();

function start(slot: (typeof slots)[number], failures = 0): void {
  const startedAt = Date.now();
  const child = spawn(process.execPath, [...process.execArgv, MAIN], {
    env: { ...process.env, ...slot.env, WORKER_NAME: slot.id },
    stdio: 'inherit',
  });
  children.set(slot.id, child);
  child.on('exit', (code, signal) => {
    children.delete(slot.id);
    if (stopping) return;
    // Exit 0 is a worker that was asked to stop (drained through the API, or SIGTERM'd on its own): leave it down.
    if (code === 0) {
      process.stderr.write(`worker ${slot.id} stopped cleanly (drained); not restarting it\n`);
      if (!children.size) process.exit(0);
      return;
    }
    // A worker that refuses to start (exit 1 within seconds) three times in a row is left down.
    const quick = Date.now() - startedAt < 10_000;
    const n = quick ? failures + 1 : 0;
    if (quick && code === 1 && n >= 3) {
      process.stderr.write(`worker ${slot.id} refused to start ${n} times (see its log); not restarting it\n`);
      if (!children.size) process.exit(1);
      return;
    }
    const delay = Math.min(60_000, 1000 * 2 ** n);
    process.stderr.write(`worker ${slot.id} exited (code ${code}, signal ${signal}); restarting in ${delay / 1000}s\n`);
    setTimeout(() => start(slot, n), delay);
  });
}

for (const slot of slots) start(slot);

function stop(signal: NodeJS.Signals): void {
  if (stopping) {
    for (const c of children.values()) c.kill('SIGKILL');
    process.exit(1);
  }
  stopping = true;
  for (const c of children.values()) c.kill(signal);
  const wait = setInterval(() => {
    if (!children.size) {
      clearInterval(wait);
      process.exit(0);
    }
  }, 200);
}
process.on('SIGTERM', () => stop('SIGTERM'));
// Drain this machine: every worker finishes its current trial, takes no more, and exits; then the launcher exits.
process.on('SIGUSR2', () => {
  for (const c of children.values()) c.kill('SIGUSR2');
});
process.on('SIGINT', () => stop('SIGINT'));
