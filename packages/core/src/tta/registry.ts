// The TTA registry and factory: `createTta({name: 'hflip', merge: 'softmax'}, {fill})`.
import { ttas, type CatalogEntry } from '@ablate/spec';
import { createRegistry } from '../registry.js';
import type { Tta, TtaContext, TtaFactory } from './tta.js';

export const ttaRegistry = createRegistry<CatalogEntry, TtaFactory>(ttas);
export const registerTta = (name: string, f: TtaFactory) => ttaRegistry.register(name, f);
export const listTtas = (filter?: string) => ttaRegistry.list(filter);

export function createTta(config: string | ({ name: string } & Record<string, unknown>), ctx: TtaContext): Tta {
  const { factory, options } = ttaRegistry.resolve(config);
  return factory(options, ctx);
}
