// The loss registry and factory: `createLoss({name: 'label_smoothing', smoothing: 0.1}, {classes: 100})`.
import { losses, type CatalogEntry } from '@ablate/spec';
import { createRegistry } from '../registry.js';
import type { Loss, LossContext, LossFactory } from './loss.js';

export const lossRegistry = createRegistry<CatalogEntry, LossFactory>(losses);
export const registerLoss = (name: string, f: LossFactory) => lossRegistry.register(name, f);
export const listLosses = (filter?: string) => lossRegistry.list(filter);

export function createLoss(config: string | ({ name: string } & Record<string, unknown>), ctx?: LossContext): Loss {
  const { factory, options } = lossRegistry.resolve(config);
  return factory(options, ctx);
}
