// Conv2DBackpropInput for the wasm backend, which ships none: the input gradient of a convolution is a stride-1
// convolution of the stride-dilated, padded output gradient with the flipped, in/out-swapped filter (run by XNNPACK).
import type { KernelConfig, NamedAttrMap, Tensor4D, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from '../../tf.js';
import { dilate, padOrCrop } from './shape-ops.js';

interface Attrs {
  inputShape: [number, number, number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function conv2dBackpropInput(dy: Tensor4D, filter: Tensor4D, attrs: Attrs): Tensor4D {
  if (attrs.dataFormat === 'NCHW') throw new Error('wasm Conv2DBackpropInput supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, inHeight: H, inWidth: W, padInfo } = info;
  return tf.tidy(() => {
    const d = dilate(dy, sh, sw);
    const top = kh - 1 - padInfo.top;
    const left = kw - 1 - padInfo.left;
    const bottom = H + kh - 1 - d.shape[1] - top;
    const right = W + kw - 1 - d.shape[2] - left;
    const padded = padOrCrop(d, top, bottom, left, right);
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as Tensor4D;
    return tf.conv2d(padded, flipped, 1, 'valid');
  });
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs }) =>
    conv2dBackpropInput(inputs.dy as Tensor4D, inputs.filter as Tensor4D, attrs as unknown as Attrs & NamedAttrMap) as TensorInfo,
};
