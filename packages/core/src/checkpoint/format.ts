// The checkpoint file: 8-byte magic "ABLATCK1", uint32 LE header length, a JSON header (resolved trial config, position,
// history, optimizer and RNG state, tensor index), zero padding to 4 bytes, then every tensor as float32 LE, checked
// by a CRC-32C of that blob. Self-describing and readable without tfjs.
import type { EpochMetrics, TrialConfig } from '@ablate/spec';
import { crc32c } from '../io/crc32c.js';

const MAGIC = 'ABLATCK1';
export const CHECKPOINT_VERSION = 1;

export interface TensorEntry {
  name: string;
  shape: number[];
  /** Offset and length in float32 elements into the blob. */
  offset: number;
  length: number;
}

export interface CheckpointHeader {
  format: 'ablate-checkpoint';
  version: number;
  configHash: string;
  /** The fully resolved trial config the weights belong to. */
  config: TrialConfig;
  /** Epochs finished, and batches of the next epoch already trained (0 at an epoch boundary). */
  epochsDone: number;
  batchesDone: number;
  /** Running totals of the unfinished epoch (mid-epoch checkpoints, written on SIGTERM). */
  partial?: { lossSum: number; correct: number; trainSeconds: number; lr: number };
  history: EpochMetrics[];
  trainRates: number[];
  elapsedSeconds: number;
  /** Optimizer state with slot tensors replaced by their names in `tensors`. */
  optimizer: unknown;
  /** Positions of the model's random streams (dropout). */
  rngs: Record<string, number[]>;
  backend: string;
  createdAt: string;
  tensors: TensorEntry[];
  blobCrc32c: number;
}

export interface Checkpoint {
  header: CheckpointHeader;
  tensors: Map<string, { shape: number[]; values: Float32Array }>;
}

export function encodeCheckpoint(
  header: Omit<CheckpointHeader, 'tensors' | 'blobCrc32c'>,
  tensors: Map<string, { shape: number[]; values: Float32Array }>,
): Uint8Array {
  const entries: TensorEntry[] = [];
  let total = 0;
  for (const [name, t] of tensors) {
    entries.push({ name, shape: t.shape, offset: total, length: t.values.length });
    total += t.values.length;
  }
  const blob = new Float32Array(total);
  for (const e of entries) blob.set(tensors.get(e.name)!.values, e.offset);
  const blobBytes = new Uint8Array(blob.buffer);
  const json = new TextEncoder().encode(JSON.stringify({ ...header, tensors: entries, blobCrc32c: crc32c(blobBytes) }));
  const headerEnd = 12 + json.length;
  const blobStart = Math.ceil(headerEnd / 4) * 4;
  const out = new Uint8Array(blobStart + blobBytes.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  out.set(blobBytes, blobStart);
  return out;
}

export class CorruptCheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptCheckpointError';
  }
}

export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw new CorruptCheckpointError('not an ablate checkpoint');
  const len = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  if (12 + len > bytes.length) throw new CorruptCheckpointError('truncated header');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + len))) as CheckpointHeader;
  if (header.format !== 'ablate-checkpoint' || header.version !== CHECKPOINT_VERSION)
    throw new CorruptCheckpointError(`unsupported checkpoint version ${header.version}`);
  const blobStart = Math.ceil((12 + len) / 4) * 4;
  const blobBytes = bytes.slice(blobStart);
  if (crc32c(blobBytes) !== header.blobCrc32c) throw new CorruptCheckpointError('tensor data does not match its checksum');
  const blob = new Float32Array(blobBytes.buffer, blobBytes.byteOffset, blobBytes.byteLength / 4);
  const tensors = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const e of header.tensors) tensors.set(e.name, { shape: e.shape, values: blob.subarray(e.offset, e.offset + e.length) });
  return { header, tensors };
}
