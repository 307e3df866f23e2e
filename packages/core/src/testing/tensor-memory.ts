// Test helper: tensor memory while fn runs, in bytes: `peak`, the most alive at once above what was alive before, and
// `allocated`, everything newly allocated (tf.profile's peakBytes cannot serve: profiling keeps every kernel's output
// alive). fn's result is disposed.
import { tf } from '../tf.js';

interface TrackingEngine {
  state: { numBytes: number };
  trackTensor(a: unknown, backend: unknown): void;
}

export function tensorMemory(fn: () => tf.TensorContainer): { peak: number; allocated: number } {
  const engine = tf.engine() as unknown as TrackingEngine;
  const base = engine.state.numBytes;
  let peak = base;
  let allocated = 0;
  const track = engine.trackTensor;
  const own = Object.hasOwn(engine, 'trackTensor');
  engine.trackTensor = function (a, backend) {
    const before = this.state.numBytes;
    track.call(this, a, backend);
    allocated += this.state.numBytes - before;
    peak = Math.max(peak, this.state.numBytes);
  };
  try {
    tf.dispose(fn());
  } finally {
    if (own) engine.trackTensor = track;
    else delete (engine as Partial<TrackingEngine>).trackTensor;
  }
  return { peak: peak - base, allocated };
}
