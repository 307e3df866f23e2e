// What every architecture is built from: the number of classes, the input shape, and a seeded Rng for init.
import type { Rng } from '../rng.js';
import type { Module } from '../nn/module.js';

export interface ModelContext {
  numClasses: number;
  /** [height, width, channels] of one input image. */
  inputShape: [number, number, number];
  rng: Rng;
}

/** Builds a model from its validated options (the config minus `name`). */
export type ModelFactory = (options: Record<string, unknown>, ctx: ModelContext) => Module;
