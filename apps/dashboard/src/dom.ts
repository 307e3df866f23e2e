// The dashboard's whole DOM layer: `h(tag, props, ...children)` builds an element, `fill(el, ...children)` replaces
// what a section shows. Text goes in as text nodes (never innerHTML), so nothing the API returns can inject markup.
// The DOM types for the root typecheck, which is otherwise Node-only (tsconfig.base.json: lib ES2023).
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

export type Child = Node | string | number | null | undefined | false | Child[];

type Listener = (event: Event) => void;
export type Props = Record<string, string | number | boolean | null | undefined | Listener | Partial<CSSStyleDeclaration>>;

/** Properties set as DOM properties (their attribute is only the initial value). */
const PROPERTIES = new Set(['value', 'checked', 'disabled', 'selected']);

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, v] of Object.entries(props ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(key.replace(/^on/, '').toLowerCase(), v);
    // Through CSSOM, which a Content-Security-Policy without 'unsafe-inline' allows (a style attribute it would not).
    else if (key === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else if (PROPERTIES.has(key)) (el as unknown as Record<string, unknown>)[key] = v;
    else el.setAttribute(key, v === true ? '' : String(v));
  }
  el.append(...nodes(children));
  return el;
}

/** Replaces the children of `el`. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren(...nodes(children));
}

function nodes(children: Child[], out: (Node | string)[] = []): (Node | string)[] {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) nodes(c, out);
    else out.push(typeof c === 'number' ? String(c) : c);
  }
  return out;
}

/** An `<a>` to a dashboard route (`#/…`). */
export function link(route: string, ...children: Child[]): HTMLAnchorElement {
  return h('a', { href: `#${route}` }, ...children);
}

/** A status word styled by its value (queued, running, paused, done, failed, cancelled, live, stopped …). */
export function badge(status: string): HTMLSpanElement {
  return h('span', { class: `badge badge-${status.replace(/[^a-z-]/gi, '')}`, 'data-status': status }, status);
}

/** A header cell of a numeric column (right-aligned, like its values). */
export interface NumHead {
  num: Child;
}

/** A table from a header row and body rows; `empty` is shown in a full-width cell when there is no row. */
export function table(head: (Child | NumHead)[], rows: HTMLTableRowElement[], empty = 'nothing yet'): HTMLTableElement {
  const th = (c: Child | NumHead) => (isNumHead(c) ? h('th', { class: 'num' }, c.num) : h('th', null, c));
  return h(
    'table',
    null,
    h('thead', null, h('tr', null, head.map(th))),
    h('tbody', null, rows.length ? rows : h('tr', { class: 'empty' }, h('td', { colspan: head.length }, empty))),
  );
}

function isNumHead(c: Child | NumHead): c is NumHead {
  return typeof c === 'object' && c !== null && !Array.isArray(c) && !(c instanceof Node) && 'num' in c;
}

/** A stacked bar of done, failed, cancelled and running trials over the total. */
export function progressBar(c: { done: number; failed: number; running?: number; cancelled?: number; total: number }): HTMLDivElement {
  const pct = (n: number) => `${c.total ? (100 * n) / c.total : 0}%`;
  return h(
    'div',
    {
      class: 'bar',
      role: 'progressbar',
      'aria-valuemin': 0,
      'aria-valuemax': c.total,
      'aria-valuenow': c.done,
      title: `${c.done} done, ${c.failed} failed, ${c.cancelled ?? 0} cancelled, ${c.running ?? 0} running of ${c.total}`,
    },
    h('span', { class: 'bar-done', style: { width: pct(c.done) } }),
    h('span', { class: 'bar-failed', style: { width: pct(c.failed) } }),
    h('span', { class: 'bar-cancelled', style: { width: pct(c.cancelled ?? 0) } }),
    h('span', { class: 'bar-running', style: { width: pct(c.running ?? 0) } }),
  );
}

/** An error line for a failed request: the API's code and message. */
export function errorLine(err: unknown): HTMLParagraphElement {
  const e = err as { code?: string; message?: string };
  return h('p', { class: 'error', role: 'alert' }, e.code ? h('code', null, e.code) : null, e.code ? ' ' : null, e.message ?? String(err));
}

/** "1–20 of 45" with previous and next buttons. */
export function pager(p: { total: number; limit: number; offset: number }, go: (offset: number) => void): HTMLElement {
  const last = Math.min(p.total, p.offset + p.limit);
  return h(
    'div',
    { class: 'pager' },
    h('button', { type: 'button', disabled: p.offset === 0, onclick: () => go(Math.max(0, p.offset - p.limit)) }, '‹ previous'),
    h('span', { class: 'pager-range' }, p.total ? `${p.offset + 1}–${last} of ${p.total}` : '0 of 0'),
    h('button', { type: 'button', disabled: last >= p.total, onclick: () => go(p.offset + p.limit) }, 'next ›'),
  );
}

/** A `<select>` of values (with optional labels); `onchange` gets the chosen value. */
export function select(
  name: string,
  options: readonly (string | { value: string; label: string })[],
  value: string,
  onchange: (value: string) => void,
): HTMLSelectElement {
  const el = h(
    'select',
    { name, onchange: () => onchange(el.value) },
    options.map((o) => {
      const { value: v, label } = typeof o === 'string' ? { value: o, label: o } : o;
      return h('option', { value: v, selected: v === value }, label);
    }),
  );
  el.value = value;
  return el;
}
