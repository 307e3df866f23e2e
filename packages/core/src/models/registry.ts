// The model registry and its factory: `createModel({name: 'tiny_cnn'}, ctx)` like timm's create_model.
import { models, type ModelEntry } from '@ablate/spec';
import type { Module } from '../nn/module.js';
import { createRegistry } from '../registry.js';
import type { ModelContext, ModelFactory } from './model.js';

export const modelRegistry = createRegistry<ModelEntry, ModelFactory>(models);

export const registerModel = (name: string, factory: ModelFactory) => modelRegistry.register(name, factory);
export const listModels = (filter?: string) => modelRegistry.list(filter);

/** Builds a registered model from a validated config (`{name, ...options}`). */
export function createModel(config: string | ({ name: string } & Record<string, unknown>), ctx: ModelContext): Module {
  const { entry, factory, options } = modelRegistry.resolve(config);
  const [h, w] = ctx.inputShape;
  if (Math.min(h, w) < entry.minInputSize) {
    throw new Error(`model '${entry.name}' needs inputs of at least ${entry.minInputSize}px, got ${h}x${w}`);
  }
  return factory(options, ctx);
}
