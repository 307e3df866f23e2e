// Every example spec in sweeps/ is a valid sweep: it expands without errors into the trials it promises. The study's
// tables (sweeps/study) carry its hyperparameters (seed-recipe §0-§5), and each has a CPU-sized twin in sweeps/cpu.
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

it("the augmentation sweep uses the study's pipeline order", () => {
  const plan = SweepRequest.parse(JSON.parse(readFileSync(join(ROOT, 'sweeps/cpu/augmentation.json'), 'utf8')));
  const full = plan.cells.find((c) => c.labels.augmentation === 'baseline+erase+autoaugment')!;
  expect(full.config.augmentation.map((o) => o.name)).toEqual(['autoaugment', 'random_crop', 'hflip', 'random_rotation', 'random_erasing']);
  expect(full.config.augmentation[4]).toMatchObject({ name: 'random_erasing', variant: 'zhong', p: 0.5 });
});

const plan = (file: string) => SweepRequest.parse(JSON.parse(readFileSync(join(ROOT, file), 'utf8')));
const studyFiles = readdirSync(join(ROOT, 'sweeps/study')).filter((n) => n.endsWith('.json'));

describe("the study's tables", () => {
  it('cover augmentation, models, optimizers, losses, the main path and the LR finder', () => {
    expect(studyFiles.sort()).toEqual(['augmentation.json', 'losses.json', 'lr-finder.json', 'main-path.json', 'models.json', 'optimizers.json']);
  });

  it.each(studyFiles)("%s uses the study's hyperparameters on GPU workers", (name) => {
    const p = plan(`sweeps/study/${name}`);
    expect(p.spec.backend).toBe('gpu');
    for (const c of p.cells) {
      expect(c.config.dataset.name).toBe('cifar100');
      if (c.config.kind === 'lr_finder') {
        expect(c.config.lrFinder).toMatchObject({ startLr: 1e-7, endLr: 10, iterations: 100 });
        expect(c.config.optimizer).toMatchObject({ name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 1e-4 });
        continue;
      }
      expect(c.config).toMatchObject({ epochs: 200, batchSize: 128 });
      expect(c.config.schedule).toEqual({ name: 'warmup_cosine', warmupEpochs: 5, minLr: 1e-5, granularity: 'study' });
      const sgd = c.config.optimizer.name === 'asam' ? (c.config.optimizer.base as Record<string, unknown>) : c.config.optimizer;
      expect(sgd.lr).toBe(0.1);
      if (sgd.name === 'sgd') expect(sgd).toMatchObject({ momentum: 0.9, weightDecay: 5e-4, nesterov: false, weightDecayExclude: 'none' });
      if (c.config.optimizer.name === 'asam') expect(c.config.optimizer).toMatchObject({ rho: 2, adaptive: true });
    }
  });

  it.each(studyFiles)('%s has a CPU twin in sweeps/cpu with the same rows, sized for this machine', (name) => {
    const [gpu, cpu] = [plan(`sweeps/study/${name}`), plan(`sweeps/cpu/${name}`)];
    expect(cpu.axes.map((a) => [a.key, a.labels.length])).toEqual(gpu.axes.map((a) => [a.key, a.labels.length]));
    for (const c of cpu.cells) {
      expect(c.config.dataset).toMatchObject({ name: 'fashion_mnist', subset: { train: 2000, test: 1000 } });
      expect(c.config.epochs).toBeLessThanOrEqual(4);
    }
  });

  it("the main path runs from resnet18/SGD/CE to WRN-40-10/ASAM/smooth-CE with the study's TTA", () => {
    const p = plan('sweeps/study/main-path.json');
    const rows = p.cells.filter((c) => c.seed === 0);
    expect(rows).toHaveLength(10);
    expect(rows[0]!.config).toMatchObject({ model: { name: 'resnet18' }, optimizer: { name: 'sgd' }, loss: { name: 'ce' }, tta: { name: 'none' } });
    expect(rows[9]!.config).toMatchObject({
      model: { name: 'wrn40_10' },
      optimizer: { name: 'asam', rho: 2 },
      loss: { name: 'label_smoothing', smoothing: 0.1 },
      tta: { name: 'hflip', merge: 'logits' },
    });
    expect(rows[9]!.config.augmentation.map((o) => o.name)).toEqual(['autoaugment', 'random_crop', 'hflip', 'random_rotation', 'random_erasing']);
  });
});
