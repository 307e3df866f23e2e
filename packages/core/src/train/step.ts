// One optimisation step. Single-pass optimizers: forward, backward, step. Two-pass ones (stepKind 'two-pass', SAM):
// the first gradient goes to firstStep (which moves the weights), the second pass runs with BatchNorm running
// statistics frozen (the study's disable_running_stats) and its gradient goes to step. BatchNorm running statistics
// of the whole model are updated once, after the passes (batchRunningStats).
import type { BatchTensor } from '../augment/index.js';
import type { Loss } from '../losses/loss.js';
import { mixedLoss } from '../losses/mixing.js';
import { topkCorrect } from '../metrics/accuracy.js';
import { batchRunningStats } from '../nn/batch-norm.js';
import type { Module } from '../nn/module.js';
import type { NamedParams, Optimizer } from '../optim/optimizer.js';
import { tf, type NamedTensorMap, type Tensor } from '../tf.js';

/** Returns [loss·n, correct] for the batch (λ-weighted for mixed batches), from the first pass as the study logs it. */
export function trainStep(model: Module, optimizer: Optimizer, loss: Loss, params: NamedParams, b: BatchTensor): Tensor {
  return tf.tidy(() => {
    const x = tf.tensor4d(b.x, [b.size, b.height, b.width, b.channels]);
    const y = tf.tensor1d(b.y, 'int32');
    const y2 = b.mix ? tf.tensor1d(b.mix.y2, 'int32') : undefined;
    const lam = b.mix?.lam ?? 1;
    const objective = (logits: Tensor) => (y2 ? mixedLoss(loss, logits, y, y2, lam) : loss(logits, y));
    const twoPass = optimizer.entry.stepKind === 'two-pass';
    let stats: Tensor | undefined;
    try {
      batchRunningStats(() => {
        for (let pass = 0; pass < (twoPass ? 2 : 1); pass++) {
          if (pass === 1) model.freezeRunningStats(true);
          let logits!: Tensor;
          const { value, grads } = tf.variableGrads(
            () => {
              logits = tf.keep(model.forward(x));
              return objective(logits);
            },
            params.map(([, v]) => v),
          );
          stats ??= tf.stack([
            tf.mul(value, b.size),
            y2 ? tf.add(tf.mul(topkCorrect(logits, y, 1), lam), tf.mul(topkCorrect(logits, y2, 1), 1 - lam)) : topkCorrect(logits, y, 1),
          ]);
          logits.dispose();
          const named: NamedTensorMap = {};
          for (const [name, v] of params) named[name] = grads[v.name]!;
          if (twoPass && pass === 0) optimizer.firstStep!(named);
          else optimizer.step(named);
          tf.dispose(Object.values(grads));
        }
      });
    } finally {
      if (twoPass) model.freezeRunningStats(false);
    }
    return stats!;
  });
}
