// Conv2DBackpropFilter for the wasm backend, which ships none: the filter gradient is a convolution of the padded
// input (channels as batch, batch as channels) with the output gradient used as a filter dilated by the stride.
import type { KernelConfig, NamedAttrMap, Tensor4D, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from '../../tf.js';
import { padOrCrop } from './shape-ops.js';

interface Attrs {
  filterShape: [number, number, number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function conv2dBackpropFilter(x: Tensor4D, dy: Tensor4D, attrs: Attrs): Tensor4D {
  if (attrs.dataFormat === 'NCHW') throw new Error('wasm Conv2DBackpropFilter supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, outHeight: Ho, outWidth: Wo, padInfo } = info;
  return tf.tidy(() => {
    // Rows/cols the forward pass could reach: (Ho-1)*s + k after the top/left padding.
    const needH = (Ho - 1) * sh + kh;
    const needW = (Wo - 1) * sw + kw;
    const xp = padOrCrop(x, padInfo.top, needH - x.shape[1] - padInfo.top, padInfo.left, needW - x.shape[2] - padInfo.left);
    const xT = tf.transpose(xp, [3, 1, 2, 0]) as Tensor4D; // [Ci, Hp, Wp, N]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]) as Tensor4D; // [Ho, Wo, N, Co]
    const g = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', [sh, sw]); // [Ci, kh, kw, Co]
    return tf.transpose(g, [1, 2, 0, 3]) as Tensor4D;
  });
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs }) =>
    conv2dBackpropFilter(inputs.x as Tensor4D, inputs.dy as Tensor4D, attrs as unknown as Attrs & NamedAttrMap) as TensorInfo,
};
