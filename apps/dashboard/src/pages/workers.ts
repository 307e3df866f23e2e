// #/workers — the worker processes (GET /workers): state, backend and device, current trial, last heartbeat, trials
// done and failed, and a drain button (POST /workers/:id/drain: finish the current trial, then exit). Refreshed every
// few seconds.
import { api } from '../api.js';
import { badge, errorLine, fill, h, link, table } from '../dom.js';
import { ago, when } from '../format.js';
import type { PageDef } from '../page.js';
import type { WorkerItem } from '../types.js';

export const workersPage: PageDef = {
  name: 'workers',
  pattern: /^\/workers\/?$/,
  example: '/workers',
  nav: 'Workers',
  title: () => 'Workers',
  render(ctx) {
    let all = ctx.query.get('all') === 'true';
    const body = h('div', null, h('p', { class: 'muted' }, 'loading…'));
    const message = h('div', { class: 'action-message', 'aria-live': 'polite' });
    const load = async () => {
      try {
        const { items } = await api.get<{ items: WorkerItem[] }>('/workers', { all: all ? 'true' : null });
        fill(body, workersTable(items, drain));
      } catch (err) {
        fill(body, errorLine(err));
      }
    };
    const drain = async (w: WorkerItem) => {
      if (!confirm(`Drain worker ${w.name}? It finishes its current trial, takes no more, and exits.`)) return;
      try {
        await api.post(`/workers/${encodeURIComponent(w.id)}/drain`);
        fill(message, h('p', { class: 'ok' }, `${w.name}: drain requested`));
      } catch (err) {
        fill(message, errorLine(err));
      }
      await load();
    };
    const toggle = h('input', {
      type: 'checkbox',
      name: 'all',
      checked: all,
      onchange: () => {
        all = toggle.checked;
        ctx.setQuery({ all: all ? 'true' : null });
        void load();
      },
    });
    ctx.every(3_000, load);
    return h(
      'section',
      null,
      h('h1', null, 'Workers'),
      h('div', { class: 'toolbar' }, h('label', null, toggle, ' include stopped workers')),
      message,
      body,
    );
  },
};

function workersTable(items: WorkerItem[], drain: (w: WorkerItem) => Promise<void>): HTMLTableElement {
  return table(
    ['worker', 'state', 'backend / device', 'current trial', 'last heartbeat', { num: 'done' }, { num: 'failed' }, ''],
    items.map((w) =>
      h(
        'tr',
        { 'data-worker': w.id },
        h('td', null, w.name, h('div', { class: 'muted small mono' }, `${w.host} · pid ${w.pid}`)),
        h(
          'td',
          null,
          badge(w.live ? w.state : 'stopped'),
          w.drain ? h('span', { class: 'muted small' }, ' draining') : null,
          w.reason ? h('div', { class: 'muted small' }, w.reason) : null,
        ),
        h('td', null, `${w.backend} / ${w.device}`),
        h('td', { class: 'mono small' }, w.trialId ? link(`/trials/${w.trialId}`, w.trialId) : '—'),
        h('td', { title: when(w.lastSeen) }, ago(w.lastSeen)),
        h('td', { class: 'num' }, w.trialsDone),
        h('td', { class: 'num' }, w.trialsFailed),
        h('td', null, w.live && !w.drain ? h('button', { type: 'button', 'data-action': 'drain', onclick: () => void drain(w) }, 'Drain') : null),
      ),
    ),
    'no worker has reported in the last day: start one with `npm run worker`',
  );
}
