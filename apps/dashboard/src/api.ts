// Every request the dashboard makes goes through this module: JSON calls, the event stream, plots and downloads, each
// with `Authorization: Bearer <key>`. The key comes once in the address (`/#key=…`, as `npm start` prints it; a fragment
// never reaches a server), is kept in this browser's localStorage, and is cleared from the address bar.

/** An answer other than 2xx, with the API's error code and message (docs/errors.md). */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

/** A same-origin URL; query values that are null, undefined or '' are left out. */
export function url(path: string, query: Query = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

const KEY_ITEM = 'ablate.apiKey';

/** Takes a key handed over in the address (`#key=…`), keeps it, and leaves the address without it. */
export function adoptKeyFromAddress(): void {
  const m = /^#key=([A-Za-z0-9_-]+)$/.exec(location.hash);
  if (!m) return;
  localStorage.setItem(KEY_ITEM, m[1]!);
  history.replaceState(null, '', `${location.pathname}#/`);
}

export function apiKey(): string | null {
  return localStorage.getItem(KEY_ITEM);
}

export function setApiKey(key: string | null): void {
  if (key) localStorage.setItem(KEY_ITEM, key);
  else localStorage.removeItem(KEY_ITEM);
}

function headers(): Record<string, string> {
  const key = apiKey();
  return key ? { accept: 'application/json', authorization: `Bearer ${key}` } : { accept: 'application/json' };
}

async function send(method: string, path: string, query?: Query): Promise<Response> {
  try {
    return await fetch(url(path, query), { method, headers: headers(), cache: 'no-store' });
  } catch (err) {
    throw new ApiRequestError(0, 'NETWORK', `the API did not answer (${(err as Error).message})`);
  }
}

async function request<T>(method: string, path: string, query?: Query): Promise<T> {
  const res = await send(method, path, query);
  if (!res.ok) throw await failure(res);
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

async function failure(res: Response): Promise<ApiRequestError> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page): the text is the message.
  }
  const e = (body && typeof body === 'object' ? body : {}) as { code?: string; message?: string };
  return new ApiRequestError(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? (text || res.statusText));
}

/** A file (a plot's SVG) as a Blob: fetched like every other call, so it carries the same headers. */
async function blob(path: string, query?: Query): Promise<Blob> {
  const res = await send('GET', path, query);
  if (!res.ok) throw await failure(res);
  return res.blob();
}

/** Downloads a file the API serves (a CSV, an artifact) with the key, under `filename`. */
async function download(path: string, filename: string): Promise<void> {
  const b = await blob(path);
  const href = URL.createObjectURL(b);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, query),
  post: <T>(path: string) => request<T>('POST', path),
  delete: <T>(path: string) => request<T>('DELETE', path),
  blob,
  download,
};

export interface EventHandlers {
  /** Named events (`progress`, `started`, `epoch`, `finished`, …) with their parsed data. */
  on: Record<string, (data: unknown) => void>;
  /** Any event not named in `on`. */
  other?: (type: string, data: unknown) => void;
  /** Connected, or lost (the browser reconnects by itself, resuming with Last-Event-ID). */
  state?: (state: 'open' | 'reconnecting') => void;
}

/**
 * Follows a Server-Sent Events stream with fetch (EventSource cannot send the key); reconnects after a drop with
 * Last-Event-ID, so no event is lost. Returns a function that closes it.
 */
export function openEvents(path: string, handlers: EventHandlers, types: readonly string[]): () => void {
  const controller = new AbortController();
  const wanted = new Set(types);
  let lastId: string | undefined;
  const dispatch = (type: string, data: string) => {
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(data);
    } catch {
      // Not JSON: passed on as null.
    }
    const handler = handlers.on[type];
    if (handler) handler(parsed);
    else if (wanted.has(type)) handlers.other?.(type, parsed);
  };
  const follow = async () => {
    while (!controller.signal.aborted) {
      try {
        const res = await fetch(url(path), {
          headers: { ...headers(), accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) },
          signal: controller.signal,
          cache: 'no-store',
        });
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        handlers.state?.('open');
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          for (let cut = buffer.indexOf('\n\n'); cut !== -1; cut = buffer.indexOf('\n\n')) {
            const frame = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let type = 'message';
            let data = '';
            for (const line of frame.split('\n')) {
              if (line.startsWith('id: ')) lastId = line.slice(4);
              else if (line.startsWith('event: ')) type = line.slice(7);
              else if (line.startsWith('data: ')) data += line.slice(6);
            }
            if (data) dispatch(type, data);
          }
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      handlers.state?.('reconnecting');
      await new Promise((r) => setTimeout(r, 2000));
    }
  };
  void follow();
  return () => controller.abort();
}
