// TensorBoard event files: CRC-32C against its published check value, TFRecord framing and Event protos decoded by an
// independent reader (test/tfevents.ts), appends across calls.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvents } from '../../test/tfevents.js';
import { crc32c } from '../io/crc32c.js';
import { TensorBoardWriter } from './event-writer.js';

describe('TensorBoard event writer', () => {
  it('CRC-32C gives the Castagnoli check value for "123456789"', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it('writes brain.Event:2 then one scalar summary per step, framed as TFRecords', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ablate-tb-'));
    try {
      const w = new TensorBoardWriter(dir, 1_700_000_000_000);
      await w.scalars(1, { 'loss/train': 2.5, lr: 0.1 }, 1_700_000_001.5);
      await w.scalars(2, { 'loss/train': 1.25, lr: 0.05 }, 1_700_000_002.5);
      expect(w.path).toMatch(/events\.out\.tfevents\.1700000000\./);
      const events = readEvents(new Uint8Array(await readFile(w.path)));
      expect(events.length).toBe(3);
      expect(events[0]).toMatchObject({ fileVersion: 'brain.Event:2', wallTime: 1_700_000_001.5 });
      expect(events[1]).toMatchObject({ step: 1, wallTime: 1_700_000_001.5, scalars: { 'loss/train': 2.5, lr: Math.fround(0.1) } });
      expect(events[2]).toMatchObject({ step: 2, scalars: { 'loss/train': 1.25, lr: Math.fround(0.05) } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
