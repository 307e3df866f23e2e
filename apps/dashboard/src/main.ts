// The dashboard's entry point: the page shell (navigation bar, main area) and the hash router. Routes live after
// `#` (`#/sweeps/<id>`) so they never collide with the API's own paths (`/sweeps`, `/experiments`, …).
import './styles.css';
import { adoptKeyFromAddress, apiKey, setApiKey } from './api.js';
import { h, fill } from './dom.js';
import type { PageContext } from './page.js';
import { PAGES, pageFor, UnknownRouteError } from './pages/index.js';

const main = h('main', { id: 'page' });
const nav = h(
  'nav',
  null,
  h('a', { class: 'brand', href: '#/' }, 'ablate'),
  PAGES.filter((p) => p.nav).map((p) => h('a', { href: `#${p.example}`, 'data-nav': p.name }, p.nav!)),
  h('a', { class: 'docs', href: '/docs' }, 'API docs'),
);
document.body.append(h('header', null, nav), main);

const disposers: (() => void)[] = [];

function route(): { path: string; query: URLSearchParams } {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = raw.split('?');
  return { path: path || '/', query: new URLSearchParams(query) };
}

/** Without a key every call answers 401: ask for one (a local server prints a link that carries it). */
function keyForm(): HTMLElement {
  const input = h('input', { type: 'password', placeholder: 'abl_…', size: 48, 'aria-label': 'API key' });
  return h(
    'section',
    { 'data-page': 'key' },
    h('h1', null, 'API key'),
    h('p', null, 'This API needs a key. `npm start` prints a dashboard link that carries one; or paste a key from `npm run keys -- create`.'),
    h(
      'form',
      {
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          setApiKey((input as HTMLInputElement).value.trim() || null);
          render();
        },
      },
      input,
      ' ',
      h('button', { type: 'submit' }, 'Use this key'),
    ),
  );
}

/** Whether the API answers without a key (ABLATE_AUTH=off); asked once. */
let keyless: Promise<boolean> | undefined;

function render(): void {
  for (const d of disposers.splice(0)) d();
  // A key handed over in the address, on first load or pasted into an open tab.
  adoptKeyFromAddress();
  if (!apiKey()) {
    keyless ??= fetch('/sweeps?limit=1', { cache: 'no-store' }).then(
      (r) => r.ok,
      () => false,
    );
    void keyless.then((open) => {
      if (open) renderPage();
      else {
        document.title = 'API key · ablate';
        fill(main, keyForm());
      }
    });
    return;
  }
  renderPage();
}

function renderPage(): void {
  const { path, query } = route();
  const ctx: PageContext = {
    params: [],
    query,
    setQuery(values) {
      for (const [k, v] of Object.entries(values)) {
        if (v === null || v === undefined || v === '') query.delete(k);
        else query.set(k, String(v));
      }
      const q = query.toString();
      history.replaceState(null, '', `#${path}${q ? `?${q}` : ''}`);
    },
    go(to) {
      location.hash = `#${to}`;
    },
    onDispose(fn) {
      disposers.push(fn);
    },
    every(ms, fn) {
      let busy = false;
      const tick = () => {
        if (busy) return;
        busy = true;
        void fn().finally(() => {
          busy = false;
        });
      };
      tick();
      const t = setInterval(tick, ms);
      disposers.push(() => clearInterval(t));
    },
  };
  try {
    const { page, params } = pageFor(path);
    ctx.params = params;
    document.title = `${page.title(ctx)} · ablate`;
    for (const a of nav.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.getAttribute('data-nav') === page.name);
    const el = page.render(ctx);
    el.dataset.page = page.name;
    fill(main, el);
  } catch (err) {
    if (!(err instanceof UnknownRouteError)) throw err;
    document.title = 'not found · ablate';
    fill(
      main,
      h(
        'section',
        { 'data-page': 'not-found' },
        h('h1', null, 'Not found'),
        h('p', { class: 'error' }, err.message),
        err.suggestion ? h('p', null, h('a', { href: `#${err.suggestion}` }, `#${err.suggestion}`)) : null,
      ),
    );
  }
}

window.addEventListener('hashchange', render);
render();
