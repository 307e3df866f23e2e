// Evaluation pass: eval mode, no augmentation, loss and top-1/top-5 over a whole split; optionally through a TTA and
// collecting every sample's softmax scores for the final report.
import type { DataLoader } from '../data/loader.js';
import { concatArrays } from '../io/concat.js';
import type { Loss } from '../losses/loss.js';
import { topkCorrect } from '../metrics/accuracy.js';
import type { Module } from '../nn/module.js';
import { tf } from '../tf.js';
import { predictWithTta } from '../tta/predict.js';
import type { Tta } from '../tta/tta.js';

export interface EvalResult {
  loss: number;
  top1: number;
  top5: number;
  n: number;
  /** With `collect`: softmax scores [n × classes] and labels, in split order. */
  scores?: Float32Array;
  labels?: Int32Array;
}

export interface EvalOptions {
  tta?: Tta;
  collect?: boolean;
}

export async function evaluate(model: Module, loader: DataLoader, loss: Loss, o: EvalOptions = {}): Promise<EvalResult> {
  const wasTraining = model.training;
  model.eval();
  const parts: tf.Tensor[] = [];
  const scores: Float32Array[] = [];
  const labels: Int32Array[] = [];
  let n = 0;
  try {
    for await (const b of loader.epoch(0)) {
      n += b.size;
      const [part, probs] = tf.tidy(() => {
        const x = tf.tensor4d(b.x, [b.size, b.height, b.width, b.channels]);
        const y = tf.tensor1d(b.y, 'int32');
        const logits = o.tta ? predictWithTta(model, x, o.tta) : model.forward(x);
        const totals = tf.stack([tf.mul(loss(logits, y), b.size), topkCorrect(logits, y, 1), topkCorrect(logits, y, 5)]);
        return o.collect ? [totals, tf.softmax(logits)] : [totals];
      });
      parts.push(part);
      if (probs) {
        scores.push((await probs.data()) as Float32Array);
        labels.push(Int32Array.from(b.y));
        probs.dispose();
      }
    }
    const totals = tf.tidy(() => tf.sum(tf.stack(parts), 0));
    const [l, c1, c5] = await totals.data();
    totals.dispose();
    const result: EvalResult = { loss: l! / n, top1: c1! / n, top5: c5! / n, n };
    if (o.collect) {
      result.scores = concatArrays(scores, Float32Array);
      result.labels = concatArrays(labels, Int32Array);
    }
    return result;
  } finally {
    tf.dispose(parts);
    model.train(wasTraining);
  }
}
