// A registry of implementations for one spec catalogue: names become objects only through `create`.
import { InvalidConfigError, UnknownComponentError, type Catalog, type CatalogEntry } from '@ablate/spec';

export interface Registry<E extends CatalogEntry, F> {
  readonly family: string;
  /** Adds the implementation of a catalogue entry; a name outside the catalogue or registered twice throws. */
  register(name: string, factory: F): void;
  /** The factory and catalogue entry for `name`, or UnknownComponentError with close names. */
  get(name: string): { entry: E; factory: F };
  /** Registered names, optionally filtered by a glob-like prefix ("resnet*"). */
  list(filter?: string): string[];
  /** Catalogue names without an implementation (must be empty; a test checks it). */
  missing(): string[];
  /**
   * Looks up `config.name` and validates the rest against the catalogue's option schema, filling defaults:
   * what every `createX` factory calls, so building from a partial config behaves like building from a TrialConfig.
   */
  resolve(config: string | ({ name: string } & Record<string, unknown>)): { entry: E; factory: F; options: Record<string, unknown> };
}

export function createRegistry<E extends CatalogEntry, F>(catalog: Catalog<E>): Registry<E, F> {
  const impls = new Map<string, F>();
  return {
    family: catalog.family,
    register(name, factory) {
      catalog.get(name); // throws for names the catalogue does not declare
      if (impls.has(name)) throw new Error(`${catalog.family} '${name}' is registered twice`);
      impls.set(name, factory);
    },
    get(name) {
      const factory = impls.get(name);
      if (!factory) throw new UnknownComponentError(catalog.family, name, [...impls.keys()]);
      return { entry: catalog.get(name), factory };
    },
    list(filter) {
      const names = [...impls.keys()];
      if (!filter) return names;
      const re = new RegExp(`^${filter.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      return names.filter((n) => re.test(n));
    },
    missing: () => catalog.names().filter((n) => !impls.has(n)),
    resolve(config) {
      const c = typeof config === 'string' ? { name: config } : config;
      const { entry, factory } = this.get(c.name);
      const parsed = catalog.schema().safeParse(c);
      if (!parsed.success) {
        throw new InvalidConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'name'}: ${i.message}`).join('; '), catalog.family);
      }
      const { name: _name, ...options } = parsed.data;
      return { entry, factory, options };
    },
  };
}
