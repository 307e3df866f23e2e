// A directory of checkpoints for one trial: `e{epoch}-b{batch}.ckpt`, written atomically, the newest `keep` kept.
// The latest readable one whose config hash matches is what a resumed run starts from; unreadable ones are skipped.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint, type CheckpointHeader } from './format.js';
import type { TensorMap } from './state.js';

const NAME = /^e(\d{5})-b(\d{7})\.ckpt$/;

export class CheckpointStore {
  constructor(
    readonly dir: string,
    private readonly keep = 2,
  ) {}

  static fileName(epochsDone: number, batchesDone: number): string {
    return `e${String(epochsDone).padStart(5, '0')}-b${String(batchesDone).padStart(7, '0')}.ckpt`;
  }

  /** Writes a checkpoint and prunes older ones; returns its path. */
  async save(header: Omit<CheckpointHeader, 'tensors' | 'blobCrc32c'>, tensors: TensorMap): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, CheckpointStore.fileName(header.epochsDone, header.batchesDone));
    await writeFileAtomic(path, encodeCheckpoint(header, tensors));
    const files = await this.files();
    for (const f of files.slice(0, Math.max(0, files.length - this.keep))) await rm(join(this.dir, f), { force: true });
    return path;
  }

  /** Checkpoint file names, oldest first. */
  async files(): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    return names.filter((n) => NAME.test(n)).sort();
  }

  /** The most advanced readable checkpoint for `configHash`, or undefined. */
  async latest(configHash: string): Promise<(Checkpoint & { path: string }) | undefined> {
    for (const f of (await this.files()).reverse()) {
      const path = join(this.dir, f);
      try {
        const c = decodeCheckpoint(new Uint8Array(await readFile(path)));
        if (c.header.configHash === configHash) return { ...c, path };
      } catch {
        // A corrupt or foreign file: fall back to an older checkpoint.
      }
    }
    return undefined;
  }
}
