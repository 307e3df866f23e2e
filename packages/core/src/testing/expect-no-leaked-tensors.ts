// Test helper (as tfjs-layers' expectNoLeakedTensors): runs fn twice and fails if the tensor count grows
// by more than `expectedNew` the second time.
import { tf } from '../tf.js';

export async function expectNoLeakedTensors(fn: () => unknown, expectedNew = 0): Promise<void> {
  await fn();
  const before = tf.memory().numTensors;
  await fn();
  const after = tf.memory().numTensors;
  if (after - before !== expectedNew) {
    throw new Error(`tensor count grew by ${after - before} (expected ${expectedNew}); use tf.tidy or dispose`);
  }
}
