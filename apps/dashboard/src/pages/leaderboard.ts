// #/leaderboard — configurations ranked across every sweep by their mean over seeds (GET /leaderboard), with a 95 %
// CI, n and ties flagged; filtered by metric and dataset, paginated.
import { api } from '../api.js';
import { errorLine, fill, h, pager, select, table } from '../dom.js';
import { meanStd, metric } from '../format.js';
import { METRIC_OPTIONS } from '../metrics.js';
import type { PageDef } from '../page.js';
import type { Leaderboard } from '../types.js';

const LIMIT = 25;

export const leaderboardPage: PageDef = {
  name: 'leaderboard',
  pattern: /^\/leaderboard\/?$/,
  example: '/leaderboard',
  nav: 'Leaderboard',
  title: () => 'Leaderboard',
  render(ctx) {
    const state = {
      metric: ctx.query.get('metric') ?? 'testTop1',
      dataset: ctx.query.get('dataset') ?? '',
      offset: Number(ctx.query.get('offset') ?? 0) || 0,
    };
    const body = h('div', null, h('p', { class: 'muted' }, 'loading…'));
    const load = async () => {
      try {
        const lb = await api.get<Leaderboard>('/leaderboard', {
          format: 'json',
          metric: state.metric,
          dataset: state.dataset,
          limit: LIMIT,
          offset: state.offset,
        });
        fill(
          body,
          leaderboardTable(lb),
          pager(lb, (offset) => update({ offset })),
        );
      } catch (err) {
        fill(body, errorLine(err));
      }
    };
    const update = (change: Partial<typeof state>) => {
      Object.assign(state, change);
      ctx.setQuery({ metric: state.metric === 'testTop1' ? null : state.metric, dataset: state.dataset, offset: state.offset || null });
      void load();
    };
    const dataset = h('input', { type: 'search', name: 'dataset', placeholder: 'any (e.g. cifar10)', value: state.dataset });
    const form = h(
      'form',
      {
        class: 'toolbar',
        onsubmit: (e: Event) => {
          e.preventDefault();
          update({ dataset: dataset.value.trim(), offset: 0 });
        },
      },
      h(
        'label',
        null,
        'metric ',
        select('metric', METRIC_OPTIONS, state.metric, (m) => update({ metric: m, offset: 0 })),
      ),
      h('label', null, 'dataset ', dataset),
      h('button', { type: 'submit' }, 'Filter'),
    );
    void load();
    return h('section', null, h('h1', null, 'Leaderboard'), form, body);
  },
};

function leaderboardTable(lb: Leaderboard): HTMLElement {
  const rows = lb.items.map((r) =>
    h(
      'tr',
      { 'data-group': r.groupKey },
      h(
        'td',
        { class: 'num' },
        r.rank,
        r.tiedWithAbove ? h('span', { class: 'tie', title: 'its 95 % CI overlaps the one ranked above' }, ' (tie)') : null,
      ),
      h('td', null, r.summary),
      h('td', { class: 'num' }, meanStd(r.mean, r.std, lb.percent)),
      h('td', { class: 'num' }, r.ci ? `[${metric(r.ci.low, lb.percent)}, ${metric(r.ci.high, lb.percent)}]` : '—'),
      h('td', { class: 'num' }, r.n),
    ),
  );
  return h(
    'div',
    null,
    table([{ num: 'rank' }, 'configuration', { num: lb.title }, { num: '95 % CI' }, { num: 'n' }], rows, 'no finished trial matches'),
    h('p', { class: 'muted small' }, 'Mean ± sample std over seeds; (tie): its 95 % interval overlaps the one ranked just above.'),
  );
}
