// Every registered TTA: views keep the batch shape with the image itself first, merging is the mean of logits or of
// softmax as configured, padding fills with normalised black, and nothing leaks.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.js';
import { Lambda } from '../nn/module.js';
import { expectNoLeakedTensors } from '../testing/expect-no-leaked-tensors.js';
import { tf, type Tensor4D } from '../tf.js';
import { createTta, listTtas, predictWithTta } from './index.js';

const fill = [-2, -1.5];
const batch = () =>
  tf.tensor4d(
    Array.from({ length: 2 * 6 * 6 * 2 }, (_, i) => Math.sin(i)),
    [2, 6, 6, 2],
  );
/** A "model" whose logits are the left column's pixels: sensitive to flips and shifts. */
const leftColumn = new Lambda((x) => tf.reshape(tf.slice(x, [0, 0, 0, 0], [-1, -1, 1, -1]), [x.shape[0]!, -1]));
const EXPECTED_VIEWS: Record<string, number> = { none: 1, hflip: 2, hflip_crop: 10 };

beforeAll(async () => {
  await initBackend('wasm');
});

describe.each(listTtas())('tta %s', (name) => {
  it("gives views of the batch's shape, the image itself first, and averages them as configured", async () => {
    expect(EXPECTED_VIEWS[name], `add the view count of '${name}' to this test`).toBeDefined();
    const x = batch();
    for (const merge of ['logits', 'softmax'] as const) {
      const tta = createTta(name === 'none' ? { name } : { name, merge }, { fill });
      const views = tf.tidy(() => tta.views(x).map((v) => tf.clone(v)));
      expect(views.length).toBe(EXPECTED_VIEWS[name]);
      for (const v of views) expect(v.shape).toEqual(x.shape);
      expect(await views[0]!.data()).toEqual(await x.data());
      const outs = views.map((v) => leftColumn.forward(v));
      const expected =
        tta.merge === 'logits' || views.length === 1
          ? tf.div(tf.addN(outs), outs.length)
          : tf.log(tf.div(tf.addN(outs.map((o) => tf.softmax(o))), outs.length));
      const got = predictWithTta(leftColumn, x as Tensor4D, tta);
      expect(Array.from(await got.data())).toEqual(Array.from(await expected.data()));
      await expectNoLeakedTensors(() => predictWithTta(leftColumn, x as Tensor4D, tta).dispose());
      tf.dispose([...views, ...outs, expected, got]);
    }
    x.dispose();
  });
});

describe('hflip_crop', () => {
  it('shifts by the padding with black filled in, on both mirrors', async () => {
    const x = batch();
    const tta = createTta({ name: 'hflip_crop', padding: 2 }, { fill });
    const views = tf.tidy(() => tta.views(x).map((v) => tf.clone(v)));
    const orig = (await x.array()) as number[][][][];
    const topLeft = (await views[1]!.array()) as number[][][][];
    // View 1 = crop at (0,0) of the padded image: pixel (y,x) is the original (y−2, x−2), or the fill inside the border.
    expect(topLeft[1]![0]![0]).toEqual(fill);
    expect(topLeft[1]![1]![5]).toEqual(fill);
    expect(topLeft[1]![3]![4]).toEqual(orig[1]![1]![2]);
    // View 5 = the mirror itself; view 6 = its crop at (0,0).
    const mirror = (await views[5]!.array()) as number[][][][];
    expect(mirror[0]![2]![0]).toEqual(orig[0]![2]![5]);
    const mirrorTopLeft = (await views[6]!.array()) as number[][][][];
    expect(mirrorTopLeft[0]![4]![3]).toEqual(mirror[0]![2]![1]);
    tf.dispose([x, ...views]);
  });
});
