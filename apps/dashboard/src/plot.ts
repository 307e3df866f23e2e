// A plot: an `<img>` of one of the API's SVG plots, fetched through the api module (so it carries the same headers as
// every call) and shown from a blob URL. It stays hidden while its route answers an error (404: no such plot, or no
// data yet) and reloads on demand, so a sweep's plots appear and change as its trials finish.
import { api, type Query, url } from './api.js';
import { h } from './dom.js';

export interface Plot {
  el: HTMLElement;
  /** Fetches the plot (again); the previous image stays until the new one has loaded. */
  load(path: string, query?: Query): Promise<void>;
  dispose(): void;
}

export function plot(name: string, caption: string): Plot {
  let current: string | null = null;
  const img = h('img', { alt: caption });
  const open = h('a', { class: 'small', target: '_blank', rel: 'noopener' }, 'SVG');
  const el = h(
    'figure',
    { class: 'plot', 'data-plot': name, 'data-state': 'loading', hidden: true },
    img,
    h('figcaption', null, caption, ' · ', open),
  );
  let seq = 0;
  return {
    el,
    async load(path, query = {}) {
      const mine = ++seq;
      open.href = url(path, query);
      try {
        const b = await api.blob(path, query);
        if (mine !== seq) return;
        const next = URL.createObjectURL(b);
        await new Promise<void>((resolve, reject) => {
          img.onload = () => resolve();
          img.onerror = () => reject(new Error('not an image'));
          img.src = next;
        });
        if (current) URL.revokeObjectURL(current);
        current = next;
        el.hidden = false;
        el.dataset.state = 'loaded';
        el.removeAttribute('title');
      } catch (err) {
        if (mine !== seq) return;
        // Nothing to show (yet): keep the figure out of the way.
        el.hidden = current === null;
        el.dataset.state = current === null ? 'missing' : 'loaded';
        el.title = (err as Error).message;
      }
    },
    dispose() {
      seq++;
      if (current) URL.revokeObjectURL(current);
    },
  };
}
