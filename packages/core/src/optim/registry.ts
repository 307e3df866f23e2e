// The optimizer registry and factory: `createOptimizer({name: 'sgd', lr: 0.1, ...}, model.namedParameters())`.
import { optimizers, type OptimizerEntry } from '@ablate/spec';
import { createRegistry } from '../registry.js';
import type { NamedParams, Optimizer, OptimizerFactory } from './optimizer.js';

export const optimizerRegistry = createRegistry<OptimizerEntry, OptimizerFactory>(optimizers);
export const registerOptimizer = (name: string, f: OptimizerFactory) => optimizerRegistry.register(name, f);
export const listOptimizers = (filter?: string) => optimizerRegistry.list(filter);

export function createOptimizer(config: string | ({ name: string } & Record<string, unknown>), params: NamedParams): Optimizer {
  const { factory, options } = optimizerRegistry.resolve(config);
  return factory(options, params);
}
