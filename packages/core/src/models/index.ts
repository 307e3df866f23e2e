// Importing a family file registers it.
import './mlp.js';
import './tiny-cnn.js';

export * from './model.js';
export { createModel, listModels, modelRegistry, registerModel } from './registry.js';
