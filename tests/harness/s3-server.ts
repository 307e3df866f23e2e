// A real S3-protocol server for tests: s3rver in a child process on a free port, objects in a temp folder, plus the env
// vars that point a store or a worker process at it. close() stops it and removes the folder.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** ABLATE_STORE=s3 with the ABLATE_S3_* and AWS_* variables, for openStoreFromEnv or a worker process. */
  env: Record<string, string>;
  /** Stops the server (a store pointed at it then gets ECONNREFUSED) and removes its folder. */
  close(): Promise<void>;
}

// Runs in the child: argv is [s3rver's path, data folder, bucket]. It exits when the test process goes away (stdin closes).
const SERVER_SCRIPT = `
const [S3rver, directory, bucket] = [require(process.argv[1]), process.argv[2], process.argv[3]];
new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket, configs: [] }] })
  .run()
  .then(({ port }) => process.stdout.write('listening ' + port + '\\n'), (err) => { process.stderr.write(String(err && err.stack || err)); process.exit(1); });
process.stdin.on('end', () => process.exit(0)).resume();
`;

/** Starts s3rver on 127.0.0.1 (the OS picks the port) with one empty bucket. */
export async function startS3Server(options: { bucket?: string } = {}): Promise<S3TestServer> {
  const bucket = options.bucket ?? 'ablate-test';
  const directory = await mkdtemp(join(tmpdir(), 'ablate-s3rver-'));
  const s3rver = createRequire(import.meta.url).resolve('s3rver');
  // s3rver signs ListObjectsV2 continuation tokens with DES, which OpenSSL 3 has only in its legacy provider; a child
  // process can load it without touching the test process.
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', SERVER_SCRIPT, s3rver, directory, bucket], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let port: number;
  try {
    port = await waitForPort(child, 15_000);
  } catch (err) {
    await stop(child);
    await rm(directory, { recursive: true, force: true });
    throw err;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver accepts only its built-in key pair.
  const accessKeyId = 'S3RVER';
  const secretAccessKey = 'S3RVER';
  return {
    endpoint,
    bucket,
    accessKeyId,
    secretAccessKey,
    env: {
      ABLATE_STORE: 's3',
      ABLATE_S3_BUCKET: bucket,
      ABLATE_S3_ENDPOINT: endpoint,
      ABLATE_S3_REGION: 'us-east-1',
      ABLATE_S3_FORCE_PATH_STYLE: '1',
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
    },
    async close() {
      await stop(child);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function waitForPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(`s3rver did not start within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`${why}${err ? `:\n${err}` : ''}`));
    };
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('error', (e) => fail(`s3rver could not be started: ${e.message}`));
    child.once('exit', (code, signal) => fail(`s3rver exited (${signal ?? code})`));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
