// `npm run bench [-- name…]`: runs the benchmarks and prints one table each. Speed targets live here, never in tests.
import { benchAugment } from './augment.js';
import { benchDispatch } from './dispatch.js';
import { benchService } from './service.js';
import { benchTraining } from './training.js';

export interface BenchResult {
  title: string;
  columns: string[];
  rows: string[][];
  notes?: string[];
}

const BENCHES: Record<string, () => Promise<BenchResult | BenchResult[]>> = {
  augment: () => benchAugment({ images: Number(process.env.BENCH_IMAGES ?? 2000), repeats: Number(process.env.BENCH_REPEATS ?? 3) }),
  dispatch: () =>
    benchDispatch({
      models: process.env.BENCH_MODELS?.split(','),
      speedSteps: Number(process.env.BENCH_STEPS ?? 5),
    }),
  service: () =>
    benchService({
      trials: Number(process.env.BENCH_TRIALS ?? 10_000),
      epochs: Number(process.env.BENCH_EPOCHS ?? 200),
      posts: Number(process.env.BENCH_POSTS ?? 5),
      reads: Number(process.env.BENCH_READS ?? 20),
      listeners: Number(process.env.BENCH_LISTENERS ?? 50),
    }),
  training: () =>
    benchTraining({ models: (process.env.BENCH_MODELS ?? 'resnet20,resnet18').split(','), steps: Number(process.env.BENCH_STEPS ?? 3) }),
};

function print(r: BenchResult): void {
  const out = [`\n### ${r.title}\n`, `| ${r.columns.join(' | ')} |`, `| ${r.columns.map((_, i) => (i ? '---:' : '---')).join(' | ')} |`];
  for (const row of r.rows) out.push(`| ${row.join(' | ')} |`);
  for (const n of r.notes ?? []) out.push(`\n${n}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

const wanted = process.argv.slice(2);
for (const name of wanted.length ? wanted : Object.keys(BENCHES)) {
  const bench = BENCHES[name];
  if (!bench) {
    process.stderr.write(`unknown benchmark '${name}'; known: ${Object.keys(BENCHES).join(', ')}\n`);
    process.exit(2);
  }
  for (const r of [await bench()].flat()) print(r);
}
