// Cross-machine resume through an S3-compatible store: a worker killed mid-trial on one "box" (its own local scratch
// folder, deleted with it) is resumed by a worker with a different local folder, which finds the checkpoint only in
// the bucket of a real S3-protocol server (s3rver) started by the test.
import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { S3Store } from '@ablate/store';

// The AWS SDK warns once per process on Node 20; the test's own client needs no reminder.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/index.js';
import { exactlyOnceViolations, type Stack, startStack, tinySpec, waitSweepsEnded } from '../harness/fault-stack.js';
import { type S3TestServer, startS3Server } from '../harness/s3-server.js';

let stack: Stack | undefined;
let s3: S3TestServer | undefined;
afterEach(async () => {
  await stack?.close();
  await s3?.close();
  stack = undefined;
  s3 = undefined;
});

describe('a trial interrupted on one machine', () => {
  it('resumes on a worker with a different local runs folder through the S3 bucket', async () => {
    s3 = await startS3Server();
    stack = await startStack({ store: s3.env });
    const a = stack.startWorker();
    const r = await stack.request('POST', '/sweeps', tinySpec('s3 resume', { epochs: 10, trainSize: 2048 }));
    expect(r.status).toBe(201);
    const t = await waitFor(
      async () => {
        const tr = await stack!.db.trial.findFirst();
        return tr && tr.status === 'running' && (tr.checkpointEpochs ?? 0) >= 2 ? tr : undefined;
      },
      90_000,
      'a checkpoint in the bucket',
    );
    a.kill('SIGKILL');
    // Box A is gone with its disk: nothing of it is left for B to read.
    await rm(join(stack.dir, 'runs-1'), { recursive: true, force: true });
    const bucket = new S3Store({
      bucket: s3.bucket,
      endpoint: s3.endpoint,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    const keys = await bucket.list(`trials/${t.id}/`);
    expect(keys).toContain(t.checkpointKey);
    // The directory store was never used.
    expect(existsSync(join(stack.dir, 'store'))).toBe(false);

    stack.startWorker();
    await waitSweepsEnded(stack, [r.body.id], 120_000);
    const done = await stack.db.trial.findUniqueOrThrow({ where: { id: t.id } });
    expect(done).toMatchObject({ status: 'done', attempts: 1, leaseLosses: 1, claims: 2 });
    expect(done.workerId).toMatch(/^w2\./);
    const resumedFrom = (done.runtime as { resumedFrom?: { epochsDone: number; key: string } }).resumedFrom;
    expect(resumedFrom?.epochsDone).toBeGreaterThanOrEqual(t.checkpointEpochs!);
    expect(resumedFrom?.key).toMatch(/^trials\//);
    expect(await exactlyOnceViolations(stack, [r.body.id])).toEqual([]);
    // The final checkpoint and both attempts' TensorBoard files are in the bucket; the old checkpoint was replaced.
    const after = await bucket.list(`trials/${t.id}/`);
    expect(after.filter((k) => k.includes('/checkpoints/'))).toEqual([done.checkpointKey]);
    expect(after.filter((k) => k.includes('/tensorboard/events.out.tfevents')).length).toBe(2);
    expect(readdirSync(join(stack.dir, 'runs-2'))).toEqual([]);
    await bucket.close();
  }, 240_000);
});
