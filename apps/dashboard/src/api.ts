// Every request the dashboard makes goes through this module: JSON calls, the event stream, and the URLs of plots and
// downloads. `headers()` is the one place an `Authorization: Bearer …` header goes when the API gets keys.

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

function headers(): Record<string, string> {
  return { accept: 'application/json' };
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

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, query),
  post: <T>(path: string) => request<T>('POST', path),
  delete: <T>(path: string) => request<T>('DELETE', path),
  blob,
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
 * Follows a Server-Sent Events stream; returns a function that closes it. EventSource cannot send headers: once the
 * API has keys, this is the function to switch to a fetch-based reader (or a token query parameter).
 */
export function openEvents(path: string, handlers: EventHandlers, types: readonly string[]): () => void {
  const source = new EventSource(url(path));
  const parse = (e: Event) => {
    try {
      return JSON.parse((e as MessageEvent<string>).data) as unknown;
    } catch {
      return null;
    }
  };
  for (const type of types) {
    source.addEventListener(type, (e) => {
      const handler = handlers.on[type];
      if (handler) handler(parse(e));
      else handlers.other?.(type, parse(e));
    });
  }
  source.onopen = () => handlers.state?.('open');
  source.onerror = () => handlers.state?.('reconnecting');
  return () => source.close();
}
