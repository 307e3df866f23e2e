// A reader for TensorBoard event files, for tests: TFRecord framing with both masked CRC-32Cs verified, and the Event /
// Summary / Value protobuf fields the writer uses, decoded independently of the writer's encoder.
import { maskedCrc32c } from '../src/io/crc32c.js';

export interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  scalars: Record<string, number>;
}

function* fields(buf: Uint8Array): Generator<{ field: number; wire: number; value: Uint8Array | bigint | number }> {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let i = 0;
  const varint = () => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[i++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    if (wire === 0) yield { field, wire, value: varint() };
    else if (wire === 1) {
      yield { field, wire, value: view.getFloat64(i, true) };
      i += 8;
    } else if (wire === 5) {
      yield { field, wire, value: view.getFloat32(i, true) };
      i += 4;
    } else if (wire === 2) {
      const n = Number(varint());
      yield { field, wire, value: buf.subarray(i, i + n) };
      i += n;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
}

export function readEvents(file: Uint8Array): DecodedEvent[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: DecodedEvent[] = [];
  for (let o = 0; o < file.length; ) {
    const len = Number(view.getBigUint64(o, true));
    if (view.getUint32(o + 8, true) !== maskedCrc32c(file.subarray(o, o + 8))) throw new Error(`bad length crc at ${o}`);
    const data = file.subarray(o + 12, o + 12 + len);
    if (view.getUint32(o + 12 + len, true) !== maskedCrc32c(data)) throw new Error(`bad data crc at ${o}`);
    const ev: DecodedEvent = { wallTime: 0, step: 0, scalars: {} };
    for (const f of fields(data)) {
      if (f.field === 1) ev.wallTime = f.value as number;
      else if (f.field === 2) ev.step = Number(f.value);
      else if (f.field === 3) ev.fileVersion = new TextDecoder().decode(f.value as Uint8Array);
      else if (f.field === 5) {
        for (const v of fields(f.value as Uint8Array)) {
          let tag = '';
          let value = NaN;
          for (const g of fields(v.value as Uint8Array)) {
            if (g.field === 1) tag = new TextDecoder().decode(g.value as Uint8Array);
            if (g.field === 2) value = g.value as number;
          }
          ev.scalars[tag] = value;
        }
      }
    }
    out.push(ev);
    o += 12 + len + 4;
  }
  return out;
}
