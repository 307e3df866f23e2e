// #/ — the sweeps, newest first: status, a progress bar (done, failed, running of total), backend, priority, created;
// filtered by status or name, paginated, refreshed every few seconds.
import { api } from '../api.js';
import { badge, errorLine, fill, h, link, pager, progressBar, select, table } from '../dom.js';
import { ago, when } from '../format.js';
import type { PageDef } from '../page.js';
import type { Page, SweepSummary } from '../types.js';

const STATUSES = ['', 'queued', 'running', 'paused', 'done', 'failed', 'cancelled'];
const LIMIT = 20;

export const sweepsPage: PageDef = {
  name: 'sweeps',
  pattern: /^\/(?:sweeps\/?)?$/,
  example: '/',
  nav: 'Sweeps',
  title: () => 'Sweeps',
  render(ctx) {
    const state = { status: ctx.query.get('status') ?? '', name: ctx.query.get('name') ?? '', offset: Number(ctx.query.get('offset') ?? 0) || 0 };
    const body = h('div', { class: 'sweeps-body' }, h('p', { class: 'muted' }, 'loading…'));
    const load = async () => {
      try {
        const page = await api.get<Page<SweepSummary>>('/sweeps', { status: state.status, name: state.name, limit: LIMIT, offset: state.offset });
        fill(
          body,
          sweepsTable(page.items),
          pager(page, (offset) => update({ offset })),
        );
      } catch (err) {
        fill(body, errorLine(err));
      }
    };
    const update = (change: Partial<typeof state>) => {
      Object.assign(state, change);
      ctx.setQuery({ status: state.status, name: state.name, offset: state.offset || null });
      void load();
    };
    let typing: ReturnType<typeof setTimeout> | undefined;
    const search = h('input', {
      type: 'search',
      name: 'name',
      placeholder: 'name contains…',
      value: state.name,
      oninput: () => {
        clearTimeout(typing);
        typing = setTimeout(() => update({ name: search.value.trim(), offset: 0 }), 300);
      },
    });
    ctx.onDispose(() => clearTimeout(typing));
    ctx.every(3_000, load);
    return h(
      'section',
      null,
      h('h1', null, 'Sweeps'),
      h(
        'div',
        { class: 'toolbar' },
        h(
          'label',
          null,
          'status ',
          select(
            'status',
            STATUSES.map((s) => ({ value: s, label: s || 'any' })),
            state.status,
            (status) => update({ status, offset: 0 }),
          ),
        ),
        h('label', null, 'name ', search),
      ),
      body,
    );
  },
};

function sweepsTable(items: SweepSummary[]): HTMLTableElement {
  return table(
    ['name', 'status', 'progress', 'backend', { num: 'priority' }, 'created'],
    items.map((s) =>
      h(
        'tr',
        { 'data-sweep': s.id },
        h('td', null, link(`/sweeps/${s.id}`, s.name), h('div', { class: 'muted small mono' }, s.id)),
        h('td', null, badge(s.status)),
        h(
          'td',
          { class: 'progress-cell' },
          progressBar(s.counts),
          h(
            'span',
            { class: 'progress-text' },
            `${s.counts.done}/${s.counts.total} done`,
            s.counts.failed ? ` · ${s.counts.failed} failed` : null,
            s.counts.running ? ` · ${s.counts.running} running` : null,
            s.counts.cancelled ? ` · ${s.counts.cancelled} cancelled` : null,
          ),
        ),
        h('td', null, s.backend),
        h('td', { class: 'num' }, s.priority),
        h('td', { title: when(s.createdAt) }, ago(s.createdAt)),
      ),
    ),
    'no sweep yet: submit one with POST /sweeps or `ablate submit`',
  );
}
