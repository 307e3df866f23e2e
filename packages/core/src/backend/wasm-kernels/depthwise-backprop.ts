// DepthwiseConv2dNativeBackpropInput/Filter for the wasm backend (it ships neither), channel multiplier 1, as
// depthwise convolutions XNNPACK runs: the input gradient convolves the stride-dilated, padded output gradient with
// the spatially flipped filter; the filter gradient convolves the padded input (batch folded into channels) with the
// output gradient as a filter dilated by the stride, then sums over the batch.
import type { KernelConfig, NamedAttrMap, Tensor4D, TensorInfo } from '@tensorflow/tfjs-core';
import { tf } from '../../tf.js';
import { dilate, padOrCrop } from './shape-ops.js';

type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
interface Attrs {
  strides: number | [number, number];
  pad: Pad;
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function info(xShape: [number, number, number, number], filterShape: [number, number, number, number], a: Attrs) {
  const d = a.dilations ?? 1;
  if (d !== 1 && !(Array.isArray(d) && d[0] === 1 && d[1] === 1)) throw new Error('wasm depthwise gradients support dilation 1 only');
  if (filterShape[3] !== 1) throw new Error('wasm depthwise gradients support channel multiplier 1 only');
  return tf.backend_util.computeConv2DInfo(xShape, filterShape, a.strides, 1, a.pad, a.dimRoundingMode, true, 'channelsLast');
}

export function depthwiseBackpropInput(dy: Tensor4D, filter: Tensor4D, a: Attrs & { inputShape: [number, number, number, number] }): Tensor4D {
  const c = info(a.inputShape, filter.shape, a);
  return tf.tidy(() => {
    const d = dilate(dy, c.strideHeight, c.strideWidth);
    const top = c.filterHeight - 1 - c.padInfo.top;
    const left = c.filterWidth - 1 - c.padInfo.left;
    const padded = padOrCrop(d, top, c.inHeight + c.filterHeight - 1 - d.shape[1] - top, left, c.inWidth + c.filterWidth - 1 - d.shape[2] - left);
    return tf.depthwiseConv2d(padded, tf.reverse(filter, [0, 1]) as Tensor4D, 1, 'valid');
  });
}

export function depthwiseBackpropFilter(x: Tensor4D, dy: Tensor4D, a: Attrs & { filterShape: [number, number, number, number] }): Tensor4D {
  const c = info(x.shape, a.filterShape, a);
  const [n, , , ch] = x.shape;
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, outHeight: Ho, outWidth: Wo, padInfo } = c;
  return tf.tidy(() => {
    const needH = (Ho - 1) * sh + kh;
    const needW = (Wo - 1) * sw + kw;
    const xp = padOrCrop(x, padInfo.top, needH - x.shape[1] - padInfo.top, padInfo.left, needW - x.shape[2] - padInfo.left);
    const xs = tf.reshape(tf.transpose(xp, [1, 2, 0, 3]), [1, needH, needW, n * ch]) as Tensor4D;
    const ds = tf.reshape(tf.transpose(dy, [1, 2, 0, 3]), [Ho, Wo, n * ch, 1]) as Tensor4D;
    const g = tf.depthwiseConv2d(xs, ds, 1, 'valid', 'NHWC', [sh, sw]);
    const g2 = tf.slice(g, [0, 0, 0, 0], [1, kh, kw, n * ch]);
    return tf.expandDims(tf.sum(tf.reshape(g2, [kh, kw, n, ch]), 2), 3) as Tensor4D;
  });
}

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs }) =>
    depthwiseBackpropInput(
      inputs.dy as Tensor4D,
      inputs.filter as Tensor4D,
      attrs as unknown as Attrs & NamedAttrMap & { inputShape: [number, number, number, number] },
    ) as TensorInfo,
};

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs }) =>
    depthwiseBackpropFilter(
      inputs.x as Tensor4D,
      inputs.dy as Tensor4D,
      attrs as unknown as Attrs & NamedAttrMap & { filterShape: [number, number, number, number] },
    ) as TensorInfo,
};
