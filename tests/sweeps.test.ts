// Every example spec in sweeps/ is a valid sweep: it expands without errors into the trials it promises.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SweepRequest } from '@ablate/spec';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/index.js';

function specs(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? specs(p) : n.endsWith('.json') ? [p] : [];
  });
}

const files = specs(join(ROOT, 'sweeps'));

describe.each(files.map((f) => [f.slice(ROOT.length)]))('%s', (file) => {
  it('validates and expands', () => {
    const r = SweepRequest.safeParse(JSON.parse(readFileSync(join(ROOT, file), 'utf8')));
    expect(r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
    expect(r.data!.cells.length).toBeGreaterThan(0);
  });
});

it('the augmentation sweep uses the study\'s pipeline order', () => {
  const plan = SweepRequest.parse(JSON.parse(readFileSync(join(ROOT, 'sweeps/cpu/augmentation.json'), 'utf8')));
  const full = plan.cells.find((c) => c.labels.augmentation === 'baseline+erase+autoaugment')!;
  expect(full.config.augmentation.map((o) => o.name)).toEqual(['autoaugment', 'random_crop', 'hflip', 'random_rotation', 'random_erasing']);
  expect(full.config.augmentation[4]).toMatchObject({ name: 'random_erasing', variant: 'zhong', p: 0.5 });
});
