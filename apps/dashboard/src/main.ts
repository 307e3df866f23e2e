// The dashboard's entry point: the page shell (navigation bar, main area) and the hash router. Routes live after
// `#` (`#/sweeps/<id>`) so they never collide with the API's own paths (`/sweeps`, `/experiments`, …).
import './styles.css';
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

function render(): void {
  for (const d of disposers.splice(0)) d();
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
