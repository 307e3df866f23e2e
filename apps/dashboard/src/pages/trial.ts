// #/trials/<id> — one trial (GET /experiments/:id): status, attempts, worker, runtime, its error, final metrics, the
// per-epoch table (and its CSV), its plots (those the API has data for), its config and artifacts. Refreshed while it
// is queued or running.
import { api, url } from '../api.js';
import { badge, errorLine, fill, h, link, table } from '../dom.js';
import { duration, labels, metric, when } from '../format.js';
import type { PageDef } from '../page.js';
import { type Plot, plot } from '../plot.js';
import type { Experiment } from '../types.js';

/** The trial plots of GET /experiments/:id/plots/<name>.svg, with their captions. */
const PLOTS = [
  ['curves', 'loss and accuracy per epoch'],
  ['lr', 'learning rate per epoch'],
  ['confusion', 'confusion matrix'],
  ['roc', 'ROC curves'],
  ['pr', 'precision–recall curves'],
  ['lr_finder', 'LR range test'],
] as const;

export const trialPage: PageDef = {
  name: 'trial',
  pattern: /^\/trials\/([^/]+)$/,
  example: '/trials/<id>',
  title: (ctx) => `Trial ${ctx.params[0]}`,
  render(ctx) {
    const id = ctx.params[0]!;
    const body = h('div', null, h('h1', null, 'Trial'), h('p', { class: 'muted' }, 'loading…'));
    const plots: Plot[] = PLOTS.map(([name, caption]) => plot(name, caption));
    ctx.onDispose(() => {
      for (const p of plots) p.dispose();
    });
    const plotsBox = h(
      'div',
      { class: 'plots' },
      plots.map((p) => p.el),
    );
    const loadPlots = () => Promise.all(plots.map((p, i) => p.load(`/experiments/${id}/plots/${PLOTS[i]![0]}.svg`)));
    let last = '';
    ctx.every(3_000, async () => {
      // Only while it can still change: a finished trial is loaded once.
      if (last === 'done' || last === 'failed' || last === 'cancelled') return;
      try {
        const e = await api.get<Experiment>(`/experiments/${id}`);
        const changed = `${e.status}:${e.epochs.length}` !== last;
        last = e.status === 'queued' || e.status === 'running' ? `${e.status}:${e.epochs.length}` : e.status;
        fill(body, ...experiment(e));
        if (changed) await loadPlots();
      } catch (err) {
        fill(body, h('h1', null, 'Trial'), errorLine(err));
        last = 'failed';
      }
    });
    return h('section', null, body, h('h2', null, 'Plots'), plotsBox);
  },
};

function experiment(e: Experiment): HTMLElement[] {
  const m = (term: string, value: string | number | Node | (string | Node)[]) => [h('dt', null, term), h('dd', null, value)];
  const runtime = e.runtime as { backend?: { name?: string; version?: string }; parameterCount?: number } | null;
  return [
    h('h1', null, 'Trial ', h('span', { class: 'mono' }, e.id), ' ', badge(e.status)),
    h(
      'dl',
      { class: 'meta' },
      m('seed', e.seed),
      m('attempts', e.attempts),
      m('worker', e.workerId ? h('span', { class: 'mono' }, e.workerId) : '—'),
      m('backend', [e.backend ?? '—', e.device ? ` (${e.device})` : '']),
      runtime?.backend ? m('runtime', `${runtime.backend.name ?? ''} ${runtime.backend.version ?? ''}`.trim()) : [],
      runtime?.parameterCount !== undefined ? m('parameters', runtime.parameterCount.toLocaleString('en')) : [],
      m('queued', when(e.queuedAt)),
      m('started', when(e.startedAt)),
      m('finished', when(e.finishedAt)),
      m('duration', e.durationMs === null ? '—' : duration(e.durationMs / 1000)),
      m(
        'sweeps',
        e.sweeps.flatMap((s, i) => [i ? ', ' : '', link(`/sweeps/${s.sweepId}`, s.sweepId), labels(s.labels) ? ` (${labels(s.labels)})` : '']),
      ),
    ),
    e.error
      ? h(
          'div',
          { class: 'error-box', role: 'alert' },
          h('p', null, h('code', null, String(e.error.code ?? 'error')), ' ', String(e.error.message ?? '')),
          h('details', null, h('summary', null, 'details'), h('pre', null, JSON.stringify(e.error, null, 2))),
        )
      : null,
    h('h2', null, 'Final metrics'),
    e.finalMetrics ? finalMetrics(e.finalMetrics) : h('p', { class: 'muted' }, 'not finished'),
    h(
      'h2',
      null,
      'Epochs ',
      h(
        'a',
        {
          class: 'small',
          href: url(`/experiments/${e.id}/epochs.csv`),
          onclick: (ev: Event) => {
            ev.preventDefault();
            void api.download(`/experiments/${e.id}/epochs.csv`, `experiment-${e.id}-epochs.csv`);
          },
        },
        'epochs.csv',
      ),
    ),
    epochsTable(e),
    h('h2', null, 'Config'),
    h('pre', { class: 'config' }, JSON.stringify(e.config, null, 2)),
    e.runtime ? h('details', null, h('summary', null, 'runtime'), h('pre', null, JSON.stringify(e.runtime, null, 2))) : null,
    e.artifacts.length
      ? h(
          'p',
          { class: 'small' },
          'artifacts: ',
          e.artifacts.flatMap((a, i) => [
            i ? ', ' : '',
            h(
              'a',
              {
                href: url(`/experiments/${e.id}/artifacts/${a.id}`),
                onclick: (ev: Event) => {
                  ev.preventDefault();
                  void api.download(`/experiments/${e.id}/artifacts/${a.id}`, `experiment-${e.id}-${a.kind}.json`);
                },
              },
              a.kind,
            ),
          ]),
        )
      : null,
  ].filter((x): x is HTMLElement => x !== null);
}

function finalMetrics(f: Record<string, number>): HTMLElement {
  const percent = (k: string) => /top|acc/i.test(k);
  return h(
    'dl',
    { class: 'meta metrics' },
    Object.entries(f).flatMap(([k, v]) => [h('dt', null, k), h('dd', { class: 'num' }, percent(k) ? `${metric(v, true)} %` : metric(v, false))]),
  );
}

function epochsTable(e: Experiment): HTMLTableElement {
  return table(
    ['epoch', 'attempt', 'train loss', 'train acc (%)', 'test loss', 'test top-1 (%)', 'test top-5 (%)', 'lr', 'seconds'].map((num) => ({ num })),
    e.epochs.map((r) =>
      h(
        'tr',
        { 'data-epoch': r.epoch },
        h('td', { class: 'num' }, r.epoch),
        h('td', { class: 'num' }, r.attempt),
        h('td', { class: 'num' }, metric(r.trainLoss, false)),
        h('td', { class: 'num' }, metric(r.trainAcc, true)),
        h('td', { class: 'num' }, metric(r.testLoss, false)),
        h('td', { class: 'num' }, metric(r.testTop1, true)),
        h('td', { class: 'num' }, metric(r.testTop5, true)),
        h('td', { class: 'num' }, r.lr.toPrecision(3)),
        h('td', { class: 'num' }, r.seconds.toFixed(1)),
      ),
    ),
    'no epoch yet',
  );
}
