// GET /leaderboard: configurations ranked across every sweep by their mean over seeds, with a 95 % CI and n, ties
// flagged; filtered by dataset, epochs, model or any config field; paginated; JSON, Markdown or CSV.
import { Prisma } from '@ablate/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorResponse } from '../../schemas/common.js';
import { csvCell } from '../../tables/format.js';
import { type LeaderboardEntry, rankConfigurations, withConfig } from '../../tables/leaderboard.js';
import { TABLE_METRIC_NAMES, TABLE_METRICS, type TableMetric } from '../../tables/metrics.js';

/** `path=value` pairs joined by `;`, a path a dotted config field (`optimizer.name=sgd;augmentation.name=baseline`). */
const Where = z
  .string()
  .max(2000)
  .transform((v, ctx) => {
    const pairs = v.split(';').map((p) => p.split('='));
    if (pairs.some((p) => p.length < 2 || !/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/.test(p[0]!))) {
      ctx.addIssue({ code: 'custom', message: 'write config filters as path=value pairs joined by ";" (e.g. optimizer.name=sgd)' });
      return z.NEVER;
    }
    return pairs.map(([k, ...rest]) => ({ path: k!.split('.'), value: rest.join('=') }));
  });

const LeaderboardQuery = z
  .object({
    metric: z.enum(TABLE_METRIC_NAMES).default('testTop1'),
    dataset: z.string().max(200).optional(),
    model: z.string().max(200).optional(),
    epochs: z.coerce.number().int().min(1).optional(),
    where: Where.optional(),
    format: z.enum(['json', 'markdown', 'csv']).default('json'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export const leaderboardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/leaderboard',
    {
      schema: {
        tags: ['leaderboard'],
        summary: 'Configurations ranked across all sweeps by mean over seeds, with a 95 % CI and n; ties (overlapping intervals) flagged.',
        querystring: LeaderboardQuery,
        response: { 200: z.unknown(), 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      const q = request.query;
      // The project's own trials: those some sweep of the project holds.
      const filters: Prisma.Sql[] = [
        Prisma.sql`status = 'done'`,
        Prisma.sql`id IN (SELECT st."trialId" FROM "SweepTrial" st JOIN "Sweep" s ON s.id = st."sweepId" WHERE s."projectId" = ${request.auth.projectId})`,
      ];
      if (q.dataset) filters.push(Prisma.sql`config #>> '{dataset,name}' = ${q.dataset}`);
      if (q.model) filters.push(Prisma.sql`config #>> '{model,name}' = ${q.model}`);
      if (q.epochs) filters.push(Prisma.sql`(config ->> 'epochs')::int = ${q.epochs}`);
      for (const w of q.where ?? []) filters.push(Prisma.sql`config #>> ${w.path}::text[] = ${w.value}`);
      // Rank from the metric alone; read the configs of the page's rows only (a config is ~1 KB of JSON per trial).
      const trials = await app.db.$queryRaw<{ groupKey: string; seed: number; finalMetrics: Record<string, number> | null }[]>`
        SELECT "groupKey", seed, "finalMetrics" FROM "Trial" WHERE ${Prisma.join(filters, ' AND ')}`;
      const metric = TABLE_METRICS[q.metric] as TableMetric;
      const scored = trials.flatMap((t) => {
        const v = t.finalMetrics ? metric.value(t.finalMetrics) : undefined;
        return typeof v === 'number' && Number.isFinite(v) ? [{ groupKey: t.groupKey, seed: t.seed, value: v }] : [];
      });
      const all = rankConfigurations(scored, { better: metric.better === 'lower' ? 'lower' : 'higher' });
      const ranked = all.slice(q.offset, q.offset + q.limit);
      const configs = ranked.length
        ? await app.db.$queryRaw<{ groupKey: string; config: Record<string, unknown> }[]>`
            SELECT DISTINCT ON ("groupKey") "groupKey", config FROM "Trial" WHERE "groupKey" = ANY(${ranked.map((r) => r.groupKey)}::text[]) AND ${filters[1]!}`
        : [];
      const configOf = new Map(configs.map((c) => [c.groupKey, c.config]));
      const page = ranked.map((r) => withConfig(r, configOf.get(r.groupKey)!));
      if (q.format === 'markdown') return reply.type('text/markdown; charset=utf-8').send(markdown(page, metric));
      if (q.format === 'csv') return reply.type('text/csv; charset=utf-8').send(csv(page));
      return { metric: q.metric, title: metric.title, percent: metric.percent, total: all.length, limit: q.limit, offset: q.offset, items: page };
    },
  );
};

function markdown(rows: LeaderboardEntry[], m: TableMetric): string {
  const f = (x: number) => (m.percent ? (100 * x).toFixed(2) : x.toPrecision(4));
  const lines = [`| rank | configuration | ${m.title} | 95 % CI | n |`, '| ---: | --- | ---: | ---: | ---: |'];
  for (const r of rows) {
    const value = r.std === null ? f(r.mean) : `${f(r.mean)} ± ${f(r.std)}`;
    const ci = r.ci ? `[${f(r.ci.low)}, ${f(r.ci.high)}]` : '—';
    lines.push(`| ${r.rank}${r.tiedWithAbove ? ' (tie)' : ''} | ${r.summary.replace(/\|/g, '\\|')} | ${value} | ${ci} | ${r.n} |`);
  }
  lines.push('', '(tie): its 95 % interval overlaps the one ranked just above it.');
  return `${lines.join('\n')}\n`;
}

function csv(rows: LeaderboardEntry[]): string {
  const head = ['rank', 'tied_with_above', 'group_key', 'configuration', 'n', 'seeds', 'mean', 'std', 'ci_low', 'ci_high'];
  const lines = rows.map((r) =>
    [r.rank, r.tiedWithAbove ? 1 : 0, r.groupKey, r.summary, r.n, r.seeds.join(';'), r.mean, r.std ?? '', r.ci?.low ?? '', r.ci?.high ?? '']
      .map(csvCell)
      .join(','),
  );
  return `${[head.join(','), ...lines].join('\n')}\n`;
}
