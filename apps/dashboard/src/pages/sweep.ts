// #/sweeps/<id> — one sweep, live: progress and ETA from its event stream, the ablation table (a metric, a baseline
// and each row's Δ with its 95 % CI), its plots, its trials, and the lifecycle buttons (pause, resume, cancel, retry,
// delete). Trial events refetch the table and the trials (debounced), so the page fills in while the sweep runs.
import { api, openEvents } from '../api.js';
import { badge, errorLine, fill, h, link, pager, progressBar, select, table } from '../dom.js';
import { duration, labels, meanStd, metric as fmt, signed, when } from '../format.js';
import { METRIC_OPTIONS } from '../metrics.js';
import type { PageContext, PageDef } from '../page.js';
import { plot } from '../plot.js';
import type { AblationTable, Page, ProgressEvent, StatusCounts, SweepDetail, SweepTrial } from '../types.js';

/** The trial events of GET /sweeps/:id/events; each may change the table or the trials. */
const TRIAL_EVENTS = ['started', 'epoch', 'finished', 'failed', 'cancelled', 'requeued'] as const;
/** Events after which a plot can change. */
const RESULT_EVENTS = new Set(['finished', 'failed', 'cancelled']);
const REFRESH_MS = 600;
const TRIALS_LIMIT = 100;

type Verb = 'pause' | 'resume' | 'cancel' | 'retry' | 'delete';

export const sweepPage: PageDef = {
  name: 'sweep',
  pattern: /^\/sweeps\/([^/]+)$/,
  example: '/sweeps/<id>',
  title: (ctx) => `Sweep ${ctx.params[0]}`,
  render: (ctx) => new SweepView(ctx).el,
};

class SweepView {
  readonly el: HTMLElement;
  private readonly id: string;
  private metric: string;
  private baseline: string;
  private trialsOffset = 0;
  private detail: SweepDetail | null = null;
  private lastCounts = '';
  /** The last progress event (its ETA is shown with counts from either source). */
  private lastProgress: ProgressEvent | null = null;
  /** The newest request of each kind: an answer to an older one (overtaken on a busy server) is dropped. */
  private readonly newest = { detail: 0, table: 0, trials: 0 };
  private readonly header = h('div', { class: 'sweep-header' }, h('h1', null, 'Sweep'), h('p', { class: 'muted' }, 'loading…'));
  private readonly progress = h('div', { class: 'progress' });
  private readonly live = h('span', { class: 'live-state', 'data-state': 'connecting' }, 'connecting…');
  private readonly message = h('div', { class: 'action-message', 'aria-live': 'polite' });
  private readonly buttons: Record<Verb, HTMLButtonElement>;
  private readonly baselineBox = h('label', null, 'baseline ');
  private readonly tableBox = h('div', { class: 'table-box' }, h('p', { class: 'muted' }, 'loading…'));
  private readonly trialsBox = h('div', { class: 'trials-box' }, h('p', { class: 'muted' }, 'loading…'));
  private readonly bars = plot('bars', 'mean ± std per configuration');
  private readonly curves = plot('curves', 'per-epoch curves');

  constructor(private readonly ctx: PageContext) {
    this.id = ctx.params[0]!;
    this.metric = ctx.query.get('metric') ?? 'testTop1';
    this.baseline = ctx.query.get('baseline') ?? '';
    const button = (verb: Verb, label: string, danger = false) =>
      h('button', { type: 'button', 'data-action': verb, class: danger ? 'danger' : null, onclick: () => void this.act(verb) }, label);
    this.buttons = {
      pause: button('pause', 'Pause'),
      resume: button('resume', 'Resume'),
      cancel: button('cancel', 'Cancel', true),
      retry: button('retry', 'Retry failed'),
      delete: button('delete', 'Delete', true),
    };
    const metricSelect = select('metric', METRIC_OPTIONS, this.metric, (m) => {
      this.metric = m;
      ctx.setQuery({ metric: m === 'testTop1' ? null : m });
      void this.loadTable();
      void this.loadPlots();
    });
    this.el = h(
      'section',
      null,
      this.header,
      h('div', { class: 'actions' }, Object.values(this.buttons), this.message),
      h('div', { class: 'progress-row' }, this.progress, this.live),
      h('h2', null, 'Ablation table'),
      h('div', { class: 'toolbar' }, h('label', null, 'metric ', metricSelect), this.baselineBox),
      this.tableBox,
      h('h2', null, 'Plots'),
      h('div', { class: 'plots' }, this.bars.el, this.curves.el),
      h('h2', null, 'Trials'),
      this.trialsBox,
    );
    this.baselineSelect([]);
    ctx.onDispose(() => {
      this.bars.dispose();
      this.curves.dispose();
    });
    void this.loadDetail();
    void this.loadTable();
    void this.loadTrials();
    void this.loadPlots();
    this.follow();
  }

  /** The event stream: progress events update the bar and ETA; trial events refetch what they change. */
  private follow(): void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let plots = false;
    const refresh = (type: string) => {
      plots ||= RESULT_EVENTS.has(type);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const withPlots = plots;
        plots = false;
        void this.loadDetail();
        void this.loadTable();
        void this.loadTrials();
        if (withPlots) void this.loadPlots();
      }, REFRESH_MS);
    };
    const close = openEvents(
      `/sweeps/${this.id}/events`,
      {
        on: {
          progress: (d) => {
            const p = d as ProgressEvent;
            this.lastProgress = p;
            this.showProgress(p.counts);
            // Counts that moved without a trial event seen (the stream reconnected): catch up.
            const key = JSON.stringify(p.counts);
            if (this.lastCounts && key !== this.lastCounts) refresh('finished');
            this.lastCounts = key;
          },
        },
        other: (type) => refresh(type),
        state: (s) => {
          this.live.dataset.state = s;
          this.live.textContent = s === 'open' ? '● live' : '○ reconnecting…';
        },
      },
      ['progress', ...TRIAL_EVENTS],
    );
    this.ctx.onDispose(() => {
      close();
      clearTimeout(timer);
    });
  }

  private async loadDetail(): Promise<void> {
    const mine = ++this.newest.detail;
    try {
      const d = await api.get<SweepDetail>(`/sweeps/${this.id}`);
      if (mine !== this.newest.detail) return;
      this.detail = d;
      this.showHeader(d);
      this.showProgress(d.counts);
    } catch (err) {
      if (mine === this.newest.detail) fill(this.header, h('h1', null, 'Sweep'), errorLine(err));
    }
  }

  private showHeader(d: SweepDetail): void {
    fill(
      this.header,
      h('h1', null, d.name, ' ', badge(d.status)),
      h(
        'dl',
        { class: 'meta' },
        meta('id', h('span', { class: 'mono' }, d.id)),
        meta('backend', d.backend),
        meta('priority', d.priority),
        meta('axes', d.axes.map((a) => `${a.key} (${a.labels.length})`).join(' × ') || '—'),
        meta('seeds', d.seeds.join(', ')),
        meta('created', when(d.createdAt)),
        d.finishedAt ? meta('finished', when(d.finishedAt)) : null,
      ),
      d.waitingFor ? h('p', { class: 'warning' }, `Waiting for ${d.waitingFor}: no live worker can run this sweep's trials.`) : null,
    );
    this.buttons.pause.disabled = d.paused;
    this.buttons.resume.disabled = !d.paused;
  }

  /** Counts from the stream's progress events or from the sweep itself (refetched on trial events), with the last ETA. */
  private showProgress(c: StatusCounts): void {
    const p = this.lastProgress;
    const ended = c.queued + c.running === 0;
    const eta = ended ? 'finished' : !p ? '' : p.etaSeconds === null ? 'ETA: after the first epoch' : `ETA ${duration(p.etaSeconds)}`;
    Object.assign(this.progress.dataset, {
      done: String(c.done),
      failed: String(c.failed),
      total: String(c.total),
      eta: ended ? '0' : p?.etaSeconds == null ? '' : String(Math.round(p.etaSeconds)),
    });
    fill(
      this.progress,
      progressBar(c),
      h(
        'p',
        { class: 'progress-text' },
        h('strong', { class: 'progress-counts' }, `${c.done}/${c.total} done`),
        c.failed ? ` · ${c.failed} failed` : null,
        c.cancelled ? ` · ${c.cancelled} cancelled` : null,
        ` · ${c.running} running · ${c.queued} queued`,
        eta ? h('span', { class: 'eta' }, ` · ${eta}`) : null,
        p && p.meanEpochSeconds !== null ? h('span', { class: 'muted' }, ` (${p.meanEpochSeconds.toFixed(1)} s/epoch)`) : null,
      ),
    );
  }

  private async loadTable(): Promise<void> {
    const mine = ++this.newest.table;
    try {
      const t = await api.get<AblationTable>(`/sweeps/${this.id}/table`, { format: 'json', metric: this.metric, baseline: this.baseline });
      if (mine !== this.newest.table) return;
      this.baselineSelect(t.rows.map((r) => r.labels));
      fill(this.tableBox, ablationTable(t));
    } catch (err) {
      if (mine === this.newest.table) fill(this.tableBox, errorLine(err));
    }
  }

  private baselineSelect(rows: Record<string, string>[]): void {
    const options = [{ value: '', label: 'none' }, ...rows.map((l) => ({ value: baselineParam(l), label: labels(l) }))];
    fill(
      this.baselineBox,
      'baseline ',
      select('baseline', options, this.baseline, (b) => {
        this.baseline = b;
        this.ctx.setQuery({ baseline: b || null });
        void this.loadTable();
        void this.loadPlots();
      }),
    );
  }

  private async loadTrials(): Promise<void> {
    const mine = ++this.newest.trials;
    try {
      const page = await api.get<Page<SweepTrial>>(`/sweeps/${this.id}/trials`, { limit: TRIALS_LIMIT, offset: this.trialsOffset });
      if (mine !== this.newest.trials) return;
      fill(
        this.trialsBox,
        trialsTable(page.items),
        page.total > page.limit
          ? pager(page, (offset) => {
              this.trialsOffset = offset;
              void this.loadTrials();
            })
          : null,
      );
    } catch (err) {
      if (mine === this.newest.trials) fill(this.trialsBox, errorLine(err));
    }
  }

  private async loadPlots(): Promise<void> {
    await Promise.all([
      this.bars.load(`/sweeps/${this.id}/plots/bars.svg`, { metric: this.metric, baseline: this.baseline }),
      this.curves.load(`/sweeps/${this.id}/plots/curves.svg`, { metric: this.metric }),
    ]);
  }

  private async act(verb: Verb): Promise<void> {
    const name = this.detail?.name ?? this.id;
    if (verb === 'delete' && !confirm(`Delete sweep "${name}" and the trials no other sweep shares? This cannot be undone.`)) return;
    fill(this.message);
    const all = Object.values(this.buttons);
    const was = all.map((b) => b.disabled);
    for (const b of all) b.disabled = true;
    try {
      if (verb === 'delete') {
        await api.delete(`/sweeps/${this.id}`);
        this.ctx.go('/');
        return;
      }
      const r = await api.post<{ status: string; requeued?: number; cancelled?: number }>(`/sweeps/${this.id}/${verb}`);
      const extra =
        r.requeued !== undefined
          ? `, ${r.requeued} trial(s) requeued`
          : r.cancelled !== undefined
            ? `, ${r.cancelled} queued trial(s) cancelled`
            : '';
      fill(this.message, h('p', { class: 'ok' }, `${verb}: the sweep is ${r.status}${extra}`));
    } catch (err) {
      fill(this.message, errorLine(err));
    } finally {
      all.forEach((b, i) => {
        b.disabled = was[i]!;
      });
    }
    // Pause and resume follow the sweep's new state.
    await this.loadDetail();
    void this.loadTable();
    void this.loadTrials();
  }
}

function meta(term: string, value: string | number | Node): HTMLElement[] {
  return [h('dt', null, term), h('dd', null, value)];
}

/** The table's `baseline` parameter for a row: `axis=label` pairs joined by `;`. */
function baselineParam(l: Record<string, string>): string {
  return Object.entries(l)
    .map(([k, v]) => `${k}=${v}`)
    .join(';');
}

function ablationTable(t: AblationTable): HTMLElement {
  const withDelta = !!t.baseline;
  const head = [
    // A sweep without axes has one row: its base configuration.
    ...(t.axes.length ? t.axes : ['configuration']),
    { num: t.title },
    { num: h('abbr', { title: 'seeds finished / seeds in the sweep' }, 'n') },
    { num: h('abbr', { title: 'failed or cancelled' }, 'failed') },
    ...(withDelta ? [{ num: 'Δ vs baseline' }, { num: '95 % CI' }, 'test'] : []),
  ];
  const rows = t.rows.map((r) => {
    const d = r.delta;
    const deltaCells = !withDelta
      ? []
      : r.baseline
        ? [h('td', { class: 'muted', colspan: 3 }, 'baseline')]
        : d
          ? [
              h(
                'td',
                { class: `num delta${d.excludesZero ? ' significant' : ''}` },
                signed(d.estimate, t.percent),
                d.excludesZero ? h('span', { class: 'sig', title: 'the 95 % CI excludes 0' }, ' ✱') : null,
              ),
              h('td', { class: 'num ci' }, `[${signed(d.low, t.percent)}, ${signed(d.high, t.percent)}]`),
              h('td', { class: 'method' }, d.method),
            ]
          : [h('td', { class: 'muted', colspan: 3, title: 'needs two finished seeds in both rows' }, '—')];
    return h(
      'tr',
      { class: r.baseline ? 'baseline-row' : null, 'data-row': baselineParam(r.labels) },
      t.axes.length ? t.axes.map((a) => h('td', null, r.labels[a] ?? '')) : h('td', { class: 'muted' }, 'base'),
      h('td', { class: 'num mean' }, meanStd(r.mean, r.std, t.percent)),
      h('td', { class: 'num n' }, `${r.n}/${r.expected}`),
      h('td', { class: 'num' }, r.failed || ''),
      deltaCells,
    );
  });
  return h(
    'div',
    null,
    table(head, rows, 'no trial yet'),
    h(
      'p',
      { class: 'muted small' },
      `${t.title}, ${t.reduce}: mean ± sample std over seeds.`,
      withDelta ? ' Δ: row − baseline with its 95 % CI, paired by seed when both rows have the same seeds, else Welch; ✱: the CI excludes 0.' : null,
    ),
  );
}

function trialsTable(items: SweepTrial[]): HTMLTableElement {
  return table(
    [{ num: '#' }, 'labels', { num: 'seed' }, 'status', { num: 'attempts' }, { num: 'epochs' }, { num: 'top-1 (%)' }, 'worker', 'error'],
    items.map((t) =>
      h(
        'tr',
        { 'data-trial': t.id },
        h('td', { class: 'num' }, link(`/trials/${t.id}`, String(t.index))),
        h('td', null, link(`/trials/${t.id}`, labels(t.labels) || t.id)),
        h('td', { class: 'num' }, t.seed),
        h('td', null, badge(t.status)),
        h(
          'td',
          { class: 'num' },
          t.attempts,
          t.interruptions ? h('span', { class: 'muted', title: 'interruptions (not counted)' }, ` +${t.interruptions}`) : null,
        ),
        h('td', { class: 'num' }, `${t.epochsDone}/${t.epochs}`),
        h('td', { class: 'num' }, fmt(t.testTop1, true)),
        h('td', { class: 'mono small' }, t.workerId ?? ''),
        h('td', null, t.error ? h('code', { title: t.error.message ?? '' }, t.error.code ?? 'error') : ''),
      ),
    ),
    'no trial',
  );
}
