// `ablate worker`: worker processes on this machine for an existing deployment (DATABASE_URL, and REDIS_URL or
// ABLATE_QUEUE=postgres, as the worker reads them), through the worker launcher (apps/worker/src/launch.ts, which
// restarts a crashed one): --count N CPU workers (default one per core), --gpus 0,1 one per GPU, named after --name.
// Ctrl-C stops them: running trials checkpoint and go back to queued, no attempt used; a second Ctrl-C kills them.
import { availableParallelism } from 'node:os';
import { redactSecrets } from '@ablate/spec';
import { parseEnv } from '../../../worker/src/env.js';
import { CliError } from '../client.js';
import { signal } from '../embedded/processes.js';
import { LAUNCHER_ENTRY, onStopSignals, spawnNode } from './services.js';

export interface WorkerOptions {
  count?: number;
  gpus?: string;
  name?: string;
}

export async function worker(o: WorkerOptions): Promise<void> {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  if (!process.env.DATABASE_URL) {
    throw new CliError(
      [
        'DATABASE_URL is not set: ablate worker joins an existing deployment and needs its Postgres, e.g.',
        '  DATABASE_URL=postgresql://ablate:ablate@db-host:5432/ablate REDIS_URL=redis://queue-host:6379 ablate worker',
        'with ABLATE_QUEUE=postgres instead of REDIS_URL where the queue runs on Postgres (`ablate up` prints the line for its own).',
      ].join('\n'),
    );
  }
  let env: ReturnType<typeof parseEnv>;
  try {
    env = parseEnv(process.env);
  } catch (err) {
    throw new CliError(`the worker's ${(err as Error).message}`);
  }
  const count = o.count ?? (o.gpus ? 0 : availableParallelism());
  if (!count && !o.gpus) throw new CliError('nothing to start: pass --count N (at least 1) and/or --gpus 0,1');
  const args = ['--cpu', String(count), ...(o.gpus ? ['--gpus', o.gpus] : []), ...(o.name ? ['--name', o.name] : [])];
  const queue = env.ABLATE_QUEUE === 'postgres' ? 'BullMQ on Postgres' : `Redis at ${redactSecrets(env.REDIS_URL)}`;
  say(`starting ${count ? `${count} CPU worker(s)` : ''}${count && o.gpus ? ' and ' : ''}${o.gpus ? `a worker per GPU (${o.gpus})` : ''}`);
  say(`database ${redactSecrets(env.DATABASE_URL)}, queue: ${queue}; Ctrl-C stops them (running trials checkpoint)`);
  const launcher = spawnNode(LAUNCHER_ENTRY, args, process.env, 'inherit');
  onStopSignals(
    () => {
      say('stopping the workers: running trials checkpoint and go back to queued; Ctrl-C again to force');
      signal(launcher.pid!, 'SIGTERM');
    },
    () => signal(launcher.pid!, 'SIGKILL', true),
  );
  const code = await new Promise<number>((r) => launcher.once('exit', (c, sig) => r(c ?? (sig === 'SIGKILL' ? 137 : 1))));
  process.exit(code);
}
