// The reference study's tables rebuild from their sweeps in sweeps/study/, in the study's own layout: each sweep is
// stored through the API, its trials get seeded results in Postgres, and every printed cell is checked against means
// and standard deviations computed here, independently of the API's table code.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, useTestApp } from './helpers/index.js';

const testbed = useTestApp();
const STUDY = join(ROOT, 'sweeps/study');
const files = readdirSync(STUDY).filter((f) => f.endsWith('.json') && JSON.parse(readFileSync(join(STUDY, f), 'utf8')).table);

/** A deterministic value in [0.5, 0.9) for a trial and metric, from a hash (no shared code with the API). */
function seeded(trialId: string, metric: string): number {
  const h = createHash('sha256').update(`${trialId}/${metric}`).digest();
  return 0.5 + (h.readUInt32BE(0) / 2 ** 32) * 0.4;
}

function meanOf(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

function stdOf(xs: number[]): number {
  const m = meanOf(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (xs.length - 1));
}

interface LayoutRow {
  cells: string[];
  where: Record<string, string>;
  metric?: string;
  reported?: number;
}

describe.each(files)('sweeps/study/%s', (file) => {
  const spec = JSON.parse(readFileSync(join(STUDY, file), 'utf8'));
  const layout = spec.table as { columns: string[]; value: string; metric: string; reportedAs: string; rows: LayoutRow[] };

  it("rebuilds the study's table cell by cell from seeded results, with a missing seed visible", async () => {
    const created = await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: spec });
    expect(created.statusCode).toBe(201);
    const sweepId = created.json().id as string;
    const cells = await testbed.env.db.sweepTrial.findMany({
      where: { sweepId },
      orderBy: { index: 'asc' },
      select: { trialId: true, labels: true },
    });
    // Every trial finished with seeded metrics, except the last seed of the first cell, which failed.
    const firstRow = cells.filter((c) => JSON.stringify(c.labels) === JSON.stringify(cells[0]!.labels));
    const failedId = firstRow.at(-1)!.trialId;
    for (const { trialId } of cells) {
      if (trialId === failedId) {
        await testbed.env.db.trial.update({
          where: { id: trialId },
          data: { status: 'failed', error: { code: 'TRAIN_ERR_DIVERGED', message: 'seeded' } },
        });
        continue;
      }
      const finalMetrics = { testTop1: seeded(trialId, 'testTop1'), bestTop1: seeded(trialId, 'bestTop1'), ttaTop1: seeded(trialId, 'ttaTop1') };
      await testbed.env.db.trial.update({ where: { id: trialId }, data: { status: 'done', finalMetrics, testTop1: finalMetrics.testTop1 } });
    }

    const r = await testbed.app.inject({ method: 'GET', url: `/sweeps/${sweepId}/table?layout=study` });
    expect(r.statusCode).toBe(200);
    const table = r.json();
    expect(table.columns).toEqual(layout.columns);
    expect(table.rows).toHaveLength(layout.rows.length);
    const md = (await testbed.app.inject({ method: 'GET', url: `/sweeps/${sweepId}/table?layout=study&format=markdown` })).body;
    const mdRows = md.split('\n').filter((l) => l.startsWith('|'));
    expect(mdRows[0]).toBe(`| ${[...layout.columns, layout.value, 'n', layout.reportedAs].join(' | ')} |`);

    layout.rows.forEach((row, i) => {
      const mine = cells.filter((c) => Object.entries(row.where).every(([k, v]) => (c.labels as Record<string, string>)[k] === v));
      const metric = row.metric ?? layout.metric;
      const values = mine.filter((c) => c.trialId !== failedId).map((c) => seeded(c.trialId, metric));
      const got = table.rows[i];
      expect(got.cells).toEqual(row.cells);
      expect(got.metric).toBe(metric);
      expect(got.expected).toBe(mine.length);
      expect(got.n).toBe(values.length);
      expect(got.mean).toBeCloseTo(meanOf(values), 12);
      expect(got.std).toBeCloseTo(stdOf(values), 12);
      expect(got.reported).toBe(row.reported ?? null);
      // The printed line: label cells, mean ± std with 4 decimals, n of expected, the paper's number.
      expect(mdRows[i + 2]).toBe(
        `| ${[...row.cells, `${meanOf(values).toFixed(4)} ± ${stdOf(values).toFixed(4)}`, `${values.length}/${mine.length}`, row.reported ?? ''].join(' | ')} |`,
      );
    });
    // The failed seed is visible, not dropped: the first printed row that covers it reports n < expected.
    expect(table.rows.some((row: { n: number; expected: number }) => row.n < row.expected)).toBe(true);

    // ?metric= replaces the layout's metric on rows that don't name their own.
    const last = (await testbed.app.inject({ method: 'GET', url: `/sweeps/${sweepId}/table?layout=study&metric=testTop1` })).json();
    expect(last.rows.map((r: { metric: string }) => r.metric)).toEqual(layout.rows.map((row) => row.metric ?? 'testTop1'));
  });
});

describe('layout=study', () => {
  it('is a 400 naming the parameter for a sweep without a layout, and for grid-only options', async () => {
    const spec = JSON.parse(readFileSync(join(ROOT, 'sweeps/examples/include.json'), 'utf8'));
    const id = (await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: spec })).json().id;
    const none = await testbed.app.inject({ method: 'GET', url: `/sweeps/${id}/table?layout=study` });
    expect(none.statusCode).toBe(400);
    expect(none.json().issues[0]).toMatchObject({ path: 'querystring.layout', message: expect.stringContaining('no study layout') });
    const study = JSON.parse(readFileSync(join(STUDY, 'models.json'), 'utf8'));
    const sid = (await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: study })).json().id;
    const cols = await testbed.app.inject({ method: 'GET', url: `/sweeps/${sid}/table?layout=study&cols=model` });
    expect(cols.statusCode).toBe(400);
    expect(cols.json().issues[0].path).toBe('querystring.cols');
  });

  it('refuses a layout row naming no cell of the sweep, at submission', async () => {
    const study = JSON.parse(readFileSync(join(STUDY, 'models.json'), 'utf8'));
    study.table.rows[0].where = { model: 'resnet9000' };
    const r = await testbed.app.inject({ method: 'POST', url: '/sweeps?dryRun=true', payload: study });
    expect(r.statusCode).toBe(400);
    expect(r.json().issues).toContainEqual({ path: 'table.rows.0.where', message: expect.stringContaining('no cell of the sweep') });
  });
});
