// A catalogue of one component family: the names a config may use, each with its option schema and capabilities.
// It is zod-only so the API can validate names without loading tfjs; packages/core registers one implementation per entry.
import { z } from 'zod';
import { UnknownComponentError, unknownNameMessage } from '../errors.js';

export interface CatalogEntry<Shape extends z.ZodRawShape = z.ZodRawShape> {
  /** Registered name, used in configs (`"resnet20"`). */
  readonly name: string;
  /** One line for docs and `list` output. */
  readonly description: string;
  /** Options accepted next to `name`, with defaults; unknown keys are rejected. */
  readonly options: Shape;
}

export interface Catalog<E extends CatalogEntry> {
  readonly family: string;
  readonly entries: readonly E[];
  names(): string[];
  has(name: string): boolean;
  /** The entry for `name`, or UnknownComponentError with "did you mean". */
  get(name: string): E;
  /** `{name, ...options}` schema for one member of this family, strict, with defaults filled. */
  schema(): z.ZodType<{ name: string } & Record<string, unknown>>;
}

export function defineCatalog<E extends CatalogEntry>(family: string, entries: readonly E[]): Catalog<E> {
  const byName = new Map<string, E>();
  for (const e of entries) {
    if (byName.has(e.name)) throw new Error(`${family} '${e.name}' is registered twice`);
    byName.set(e.name, e);
  }
  const names = () => [...byName.keys()];
  const members = entries.map((e) => z.object({ name: z.literal(e.name), ...e.options }).strict());
  const union = z.discriminatedUnion('name', members as unknown as [z.ZodObject, ...z.ZodObject[]], {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      const input = issue.input as { name?: unknown } | undefined;
      const name = typeof input?.name === 'string' ? input.name : undefined;
      if (name === undefined) return `${family} needs a "name" (one of: ${names().join(', ')})`;
      return unknownNameMessage(family, name, names());
    },
  });
  // A bare string is shorthand for `{name}`.
  const schema = z.preprocess((v) => (typeof v === 'string' ? { name: v } : v), union);
  return {
    family,
    entries,
    names,
    has: (name) => byName.has(name),
    get(name) {
      const e = byName.get(name);
      if (!e) throw new UnknownComponentError(family, name, names());
      return e;
    },
    schema: () => schema as unknown as z.ZodType<{ name: string } & Record<string, unknown>>,
  };
}
