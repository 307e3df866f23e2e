// Joins typed arrays of one kind end to end (batches of scores, the five CIFAR training files).
type TypedArray = Uint8Array | Int32Array | Float32Array;

export function concatArrays<T extends TypedArray>(parts: T[], Ctor: { new (n: number): T }): T {
  const out = new Ctor(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
