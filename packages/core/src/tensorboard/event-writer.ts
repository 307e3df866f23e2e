// TensorBoard event files written by hand: TFRecord framing (length, masked CRC-32C of the length, payload, masked
// CRC-32C of the payload) around tensorflow.Event protos — file_version "brain.Event:2" first, then one Summary of
// simple_value scalars per step. Encodes only the fields it uses (event.proto / summary.proto field numbers).
import { appendFile, mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { maskedCrc32c } from '../io/crc32c.js';

/** Protobuf wire encoding of the few field kinds an Event needs. */
class ProtoWriter {
  private readonly bytes: number[] = [];

  private varint(v: bigint): void {
    let x = BigInt.asUintN(64, v);
    while (x >= 0x80n) {
      this.bytes.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.bytes.push(Number(x));
  }

  private tag(field: number, wire: number): void {
    this.varint(BigInt((field << 3) | wire));
  }

  double(field: number, v: number): this {
    this.tag(field, 1);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    this.bytes.push(...b);
    return this;
  }

  float(field: number, v: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.bytes.push(...b);
    return this;
  }

  int64(field: number, v: number): this {
    this.tag(field, 0);
    this.varint(BigInt(v));
    return this;
  }

  bytesField(field: number, v: Uint8Array): this {
    this.tag(field, 2);
    this.varint(BigInt(v.length));
    this.bytes.push(...v);
    return this;
  }

  string(field: number, v: string): this {
    return this.bytesField(field, new TextEncoder().encode(v));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** One TFRecord: u64 length, masked crc(length), data, masked crc(data). */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

export function fileVersionEvent(wallTime: number): Uint8Array {
  return new ProtoWriter().double(1, wallTime).string(3, 'brain.Event:2').finish();
}

/** Event{wall_time, step, summary: Summary{value: [Value{tag, simple_value}]}}. */
export function scalarsEvent(wallTime: number, step: number, scalars: Record<string, number>): Uint8Array {
  const summary = new ProtoWriter();
  for (const [tag, v] of Object.entries(scalars)) summary.bytesField(1, new ProtoWriter().string(1, tag).float(2, v).finish());
  return new ProtoWriter().double(1, wallTime).int64(2, step).bytesField(5, summary.finish()).finish();
}

/** Appends scalars to `events.out.tfevents.<time>.<host>` in `dir`; each call is one durable append. */
export class TensorBoardWriter {
  readonly path: string;
  private started = false;

  constructor(
    readonly dir: string,
    now = Date.now(),
  ) {
    this.path = join(dir, `events.out.tfevents.${Math.floor(now / 1000)}.${hostname()}.${process.pid}`);
  }

  async scalars(step: number, values: Record<string, number>, wallTime = Date.now() / 1000): Promise<void> {
    const records: Uint8Array[] = [];
    if (!this.started) {
      await mkdir(this.dir, { recursive: true });
      records.push(tfRecord(fileVersionEvent(wallTime)));
      this.started = true;
    }
    records.push(tfRecord(scalarsEvent(wallTime, step, values)));
    await appendFile(this.path, Buffer.concat(records));
  }
}
