// The blob store: where checkpoints, TensorBoard files and artifacts live so that another machine can fetch them.
// Two implementations behind one interface: a directory (local disk or a shared mount) and an S3-compatible bucket.

/**
 * A flat key → bytes store. Keys are relative, '/'-separated paths (e.g. `trials/<32 hex>/checkpoints/a2-e00003-b0000000.ckpt`),
 * validated by keys.ts: an invalid one throws StoreKeyError. An I/O failure a retry may fix throws StoreUnavailableError
 * (`retryable`); any other failure throws StoreError with the original as `cause`.
 */
export interface BlobStore {
  readonly kind: 'dir' | 's3';
  /** Where it points, safe to log and to show: never credentials, e.g. "dir:/data/ablate" or "s3://bucket/prefix (http://127.0.0.1:4569)". */
  describe(): string;
  put(key: string, body: Uint8Array): Promise<void>;
  /** Uploads a local file (streams it; checkpoints can be hundreds of MB). */
  putFile(key: string, path: string): Promise<void>;
  /** undefined when the key does not exist. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Downloads to a local path atomically (temp file + rename, parent dirs created); false when the key does not exist. */
  getFile(key: string, path: string): Promise<boolean>;
  /** Keys under a prefix (all pages), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Deletes every key under a prefix; returns how many. */
  deletePrefix(prefix: string): Promise<number>;
  close(): Promise<void>;
}
