// The engine's single tfjs entry point: tfjs-core plus the gradient registrations that only the union package carries.
// (tfjs-core's Node bundle registers no gradients; '@tensorflow/tfjs' inlines them and shares the same core instance.)
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import { installLeanDispatch } from './backend/lean-dispatch.js';

// PROD silences tfjs's console banners ("looks like you are running TensorFlow.js in Node.js"); we log the backend ourselves.
tf.env().set('PROD', true);
installLeanDispatch();

export { tf };
export type { NamedTensorMap, Rank, Scalar, Tensor, Tensor1D, Tensor2D, Tensor4D, Variable } from '@tensorflow/tfjs-core';
