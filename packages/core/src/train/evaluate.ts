// Evaluation pass: eval mode, no augmentation, loss and top-1/top-5 over a whole split.
import type { DataLoader } from '../data/loader.js';
import type { Loss } from '../losses/loss.js';
import { topkCorrect } from '../metrics/accuracy.js';
import type { Module } from '../nn/module.js';
import { tf } from '../tf.js';

export interface EvalResult {
  loss: number;
  top1: number;
  top5: number;
  n: number;
}

export async function evaluate(model: Module, loader: DataLoader, loss: Loss): Promise<EvalResult> {
  const wasTraining = model.training;
  model.eval();
  const parts: tf.Tensor[] = [];
  let n = 0;
  try {
    for await (const b of loader.epoch(0)) {
      n += b.size;
      parts.push(tf.tidy(() => {
        const x = tf.tensor4d(b.x, [b.size, b.height, b.width, b.channels]);
        const y = tf.tensor1d(b.y, 'int32');
        const logits = model.forward(x);
        return tf.stack([tf.mul(loss(logits, y), b.size), topkCorrect(logits, y, 1), topkCorrect(logits, y, 5)]);
      }));
    }
    const totals = tf.tidy(() => tf.sum(tf.stack(parts), 0));
    const [l, c1, c5] = await totals.data();
    totals.dispose();
    return { loss: l! / n, top1: c1! / n, top5: c5! / n, n };
  } finally {
    tf.dispose(parts);
    model.train(wasTraining);
  }
}
