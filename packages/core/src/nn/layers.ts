// Parameter-free layers as modules, so Sequential indices match PyTorch's (nn.ReLU occupies an index there too).
import { tf, type Tensor } from '../tf.js';
import { Lambda } from './module.js';

export const relu = () => new Lambda(tf.relu);
export const relu6 = () => new Lambda(tf.relu6);
/** nn.AvgPool2d(k, stride=k). */
export const avgPool = (k: number) => new Lambda((x) => tf.avgPool(x as tf.Tensor4D, k, k, 'valid'));
/** AdaptiveAvgPool2d(1) + flatten: mean over height and width. */
export const globalAvgPool = (x: Tensor): Tensor => tf.mean(x, [1, 2]);
