// Flip + crop TTA: both mirrors × five crops of the image padded by p on every side with black (as the training crop
// pads): the centre (the image itself) and the four corners, i.e. shifts of (±p, ±p). 10 views.
import { tf, type Tensor4D } from '../tf.js';
import { registerTta } from './registry.js';

registerTta('hflip_crop', (o, { fill }) => {
  const p = o.padding as number;
  const offsets: [number, number][] = [
    [p, p],
    [0, 0],
    [0, 2 * p],
    [2 * p, 0],
    [2 * p, 2 * p],
  ];
  return {
    merge: o.merge as 'logits' | 'softmax',
    views(x) {
      const [n, h, w, c] = x.shape;
      // Pad each channel with its normalised black value.
      const channels = c === 1 ? [x] : tf.split(x, c, 3);
      const padded = tf.concat(
        channels.map((ch, i) =>
          tf.pad(
            ch,
            [
              [0, 0],
              [p, p],
              [p, p],
              [0, 0],
            ],
            fill[i] ?? 0,
          ),
        ),
        3,
      ) as Tensor4D;
      const out: Tensor4D[] = [];
      for (const img of [x, tf.reverse(x, 2) as Tensor4D]) {
        const src = img === x ? padded : (tf.reverse(padded, 2) as Tensor4D);
        for (const [dy, dx] of offsets) out.push(dy === p && dx === p ? img : tf.slice(src, [0, dy, dx, 0], [n, h, w, c]));
      }
      return out;
    },
  };
});
