// Every name a catalogue declares has exactly one implementation, and unknown names fail with "did you mean".
import { describe, expect, it } from 'vitest';
import { UnknownComponentError } from '@ablate/spec';
import { augmentationRegistry } from './augment/index.js';
import { datasetRegistry } from './data/index.js';
import { lossRegistry } from './losses/index.js';
import { createModel, modelRegistry } from './models/index.js';
import { optimizerRegistry } from './optim/index.js';
import { Rng } from './rng.js';
import { scheduleRegistry } from './schedules/index.js';
import { ttaRegistry } from './tta/index.js';

const registries = [modelRegistry, optimizerRegistry, lossRegistry, scheduleRegistry, augmentationRegistry, datasetRegistry, ttaRegistry];

describe.each(registries.map((r) => [r.family, r] as const))('%s registry', (_family, registry) => {
  it('implements every catalogue entry', () => {
    expect(registry.missing()).toEqual([]);
    expect(registry.list().length).toBeGreaterThan(0);
  });

  it('refuses names outside the catalogue and double registration', () => {
    expect(() => registry.register('no_such_component', (() => undefined) as never)).toThrow(UnknownComponentError);
    expect(() => registry.register(registry.list()[0]!, (() => undefined) as never)).toThrow(/registered twice/);
  });
});

describe('factories', () => {
  it('fail with a did-you-mean on unknown names and with the field on bad options', () => {
    const ctx = { numClasses: 10, inputShape: [32, 32, 3] as [number, number, number], rng: new Rng(0) };
    expect(() => createModel({ name: 'tiny_cn' }, ctx)).toThrow("Unknown model 'tiny_cn'. Did you mean 'tiny_cnn'?");
    expect(() => createModel({ name: 'tiny_cnn', width: -1 }, ctx)).toThrow(/width/);
    expect(() => createModel({ name: 'tiny_cnn', depth: 3 }, ctx)).toThrow(/depth/);
  });
});
