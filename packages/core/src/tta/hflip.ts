// Horizontal-flip TTA: the image and its mirror. The study's ttach Compose(FiveCrops(32,32), HorizontalFlip(),
// Rotate90(0..14)) on 32×32 inputs reduces to exactly this, averaged over logits (seed-recipe §9).
import { tf } from '../tf.js';
import { registerTta } from './registry.js';

registerTta('hflip', (o) => ({ merge: o.merge as 'logits' | 'softmax', views: (x) => [x, tf.reverse(x, 2)] }));
