// Models: one architecture family per file; importing this index registers them all.
import './densenet.js';
import './he-resnet.js';
import './mlp.js';
import './mobilenetv2.js';
import './preact-resnet.js';
import './resnet.js';
import './tiny-cnn.js';
import './wide-resnet.js';

export * from './model.js';
export { createModel, listModels, modelRegistry, registerModel } from './registry.js';
