// A small typed HTTP client for the ablate API; API errors become CliError with the server's code, message and
// field-level issues.
import { randomUUID } from 'node:crypto';
import type { SweepSpecInput } from '@ablate/spec';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    /** The API's error code and HTTP status, when the error is an API answer. */
    readonly api?: { code?: string; statusCode: number },
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The API could not be reached, or the connection broke before an answer came. */
export class ApiUnreachableError extends CliError {}

interface ApiErrorBody {
  code?: string;
  message?: string;
  issues?: { path: string; message: string }[];
}

interface RequestOptions {
  body?: unknown;
  accept?: string;
  headers?: Record<string, string>;
  /** Answer the body as bytes (images), not text or JSON. */
  bytes?: boolean;
}

/** Statuses a submit is retried on (with the same Idempotency-Key): the API or a proxy in front of it is briefly away. */
const TRANSIENT = new Set([502, 503, 504]);

export type TableFormat = 'markdown' | 'csv' | 'json' | 'latex' | 'html';
/** Pivot and reduction of GET /sweeps/:id/table. */
export interface TableOptions {
  rows?: string;
  cols?: string;
  /** `study`: the rows and columns of the sweep's paper (its spec's `table`). */
  layout?: 'grid' | 'study';
  reduce?: 'final' | 'best' | 'lastK';
  k?: number;
}

export class AblateClient {
  constructor(
    readonly baseUrl: string,
    /** Sent as `Authorization: Bearer <key>` (every route but /health needs one). */
    private readonly apiKey?: string,
    /** Pauses between the attempts of a submit, in ms; one attempt more than pauses. */
    private readonly submitBackoffMs: readonly number[] = [250, 1_000],
  ) {}

  private auth(): Record<string, string> {
    return this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {};
  }

  private async request<T>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    const accept = o.accept ?? 'application/json';
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: { accept, ...this.auth(), ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers },
        body: o.body !== undefined ? JSON.stringify(o.body) : undefined,
      });
    } catch (err) {
      throw new ApiUnreachableError(`cannot reach the ablate API at ${this.baseUrl} (${(err as Error).message}); start it or pass --api`);
    }
    let body: Buffer;
    try {
      body = Buffer.from(await res.arrayBuffer());
    } catch (err) {
      throw new ApiUnreachableError(`the connection to the ablate API at ${this.baseUrl} broke (${(err as Error).message})`);
    }
    const text = o.bytes && res.ok ? '' : body.toString('utf8');
    if (!res.ok) {
      let detail: ApiErrorBody = {};
      try {
        detail = JSON.parse(text) as ApiErrorBody;
      } catch {
        /* not JSON */
      }
      const issues = detail.issues?.map((i) => `  ${i.path || '(body)'}: ${i.message}`).join('\n');
      if (res.status === 401)
        detail.message = `${detail.message ?? ''} (give a key: --api-key, $ABLATE_API_KEY, or run where \`npm start\` wrote .ablate/api-key)`;
      throw new CliError(`${res.status} ${detail.code ?? ''} ${issues ? `\n${issues}` : (detail.message ?? text)}`.trim(), 1, {
        code: detail.code,
        statusCode: res.status,
      });
    }
    if (o.bytes) return body as T;
    return (accept === 'application/json' ? JSON.parse(text) : text) as T;
  }

  /**
   * POST /sweeps with an Idempotency-Key (a new UUID per call unless given): an attempt whose answer was lost (connection
   * broken, 502/503/504) is repeated with the same key, and the API answers the repeat with the first sweep, never a second.
   */
  async submit(spec: SweepSpecInput, opts: { dryRun?: boolean; idempotencyKey?: string } = {}) {
    const key = opts.idempotencyKey ?? randomUUID();
    const path = `/sweeps${opts.dryRun ? '?dryRun=true' : ''}`;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.request<SubmitResult>('POST', path, { body: spec, headers: { 'idempotency-key': key } });
      } catch (err) {
        const transient = err instanceof ApiUnreachableError || (err instanceof CliError && TRANSIENT.has(err.api?.statusCode ?? 0));
        if (!transient || attempt >= this.submitBackoffMs.length) throw err;
        await new Promise((r) => setTimeout(r, this.submitBackoffMs[attempt]));
      }
    }
  }
  listSweeps(q: { status?: string; name?: string; limit?: number; offset?: number } = {}) {
    return this.request<Page<SweepSummary>>('GET', `/sweeps${query(q)}`);
  }
  sweep(id: string) {
    return this.request<SweepStatus>('GET', sweepPath(id));
  }
  trials(id: string, q: { status?: string; limit?: number; offset?: number } = {}) {
    return this.request<Page<SweepTrial>>('GET', `${sweepPath(id)}/trials${query(q)}`);
  }
  cancel(id: string) {
    return this.request<CancelResult>('POST', `${sweepPath(id)}/cancel`);
  }
  pause(id: string) {
    return this.request<LifecycleResult>('POST', `${sweepPath(id)}/pause`);
  }
  resume(id: string) {
    return this.request<LifecycleResult>('POST', `${sweepPath(id)}/resume`);
  }
  retry(id: string) {
    return this.request<LifecycleResult & { requeued: number }>('POST', `${sweepPath(id)}/retry`);
  }
  /** PATCH /sweeps/:id: any of priority, axis values to append, variants to append, seeds to add. */
  patch(id: string, body: SweepPatch) {
    return this.request<PatchResult>('PATCH', sweepPath(id), { body });
  }
  extend(id: string, add: Omit<SweepPatch, 'priority'>) {
    return this.patch(id, add);
  }
  setPriority(id: string, priority: number) {
    return this.patch(id, { priority });
  }
  deleteSweep(id: string) {
    return this.request<{ id: string; deletedTrials: number }>('DELETE', sweepPath(id));
  }
  /** `baseline`: the row the others are compared with, as `axis=label;axis=label`. */
  table(id: string, format: 'json', metric?: string, baseline?: string, more?: TableOptions): Promise<TableJson>;
  table(id: string, format: 'markdown' | 'csv' | 'latex' | 'html', metric?: string, baseline?: string, more?: TableOptions): Promise<string>;
  table(id: string, format: TableFormat, metric?: string, baseline?: string, more?: TableOptions): Promise<string | TableJson>;
  table(id: string, format: TableFormat, metric?: string, baseline?: string, more: TableOptions = {}) {
    // Without a metric the API uses its default (testTop1), or the study layout's own.
    const q = new URLSearchParams({ format });
    if (metric) q.set('metric', metric);
    if (baseline) q.set('baseline', baseline);
    for (const [k, v] of Object.entries(more)) if (v !== undefined) q.set(k, String(v));
    return this.request<string | TableJson>('GET', `${sweepPath(id)}/table?${q}`, { accept: format === 'json' ? 'application/json' : '*/*' });
  }
  /**
   * GET /sweeps/:id/events: calls `on` for every Server-Sent Event until `on` returns false or the stream ends; reconnects
   * with Last-Event-ID when the connection drops, so no event is lost.
   */
  async events(id: string, on: (event: string, data: Record<string, unknown>) => boolean | undefined, signal?: AbortSignal): Promise<void> {
    let lastId: string | undefined;
    for (;;) {
      let res: Response;
      try {
        res = await fetch(new URL(`${sweepPath(id)}/events`, this.baseUrl), {
          headers: { ...this.auth(), ...(lastId ? { 'last-event-id': lastId } : {}) },
          signal,
        });
      } catch (err) {
        if (signal?.aborted) return;
        throw new ApiUnreachableError(`cannot reach the ablate API at ${this.baseUrl} (${(err as Error).message})`);
      }
      if (!res.ok) throw new CliError(`${res.status} ${await res.text()}`);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buf = '';
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch {
          break;
        }
        if (chunk.done) break;
        buf += decoder.decode(chunk.value, { stream: true });
        for (let cut = buf.indexOf('\n\n'); cut >= 0; cut = buf.indexOf('\n\n')) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) lastId = line.slice(4);
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (data && on(event, JSON.parse(data) as Record<string, unknown>) === false) {
            await reader.cancel().catch(() => undefined);
            return;
          }
        }
      }
      if (signal?.aborted) return;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  /** GET /leaderboard: configurations ranked across sweeps (JSON, or Markdown/CSV text). */
  leaderboard(q: Record<string, string | number | undefined>, format: 'json' | 'markdown' | 'csv' = 'json') {
    const params = new URLSearchParams({ format });
    for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
    return this.request<unknown>('GET', `/leaderboard?${params}`, { accept: format === 'json' ? 'application/json' : '*/*' });
  }
  /** A plot as SVG or PNG bytes: a trial's (GET /experiments/:id/plots/NAME.EXT) or a sweep's (GET /sweeps/:id/plots/NAME.EXT). */
  plot(scope: 'trial' | 'sweep', id: string, name: string, ext: 'svg' | 'png', q: Record<string, string | undefined> = {}) {
    const base = scope === 'sweep' ? sweepPath(id) : `/experiments/${encodeURIComponent(id)}`;
    return this.request<Buffer>('GET', `${base}/plots/${encodeURIComponent(name)}.${ext}${query(q)}`, { accept: '*/*', bytes: true });
  }
  /** GET /workers: live workers, or with `all` also stopped ones. */
  workers(opts: { all?: boolean } = {}) {
    return this.request<{ items: WorkerItem[] }>('GET', `/workers${opts.all ? '?all=true' : ''}`);
  }
  drainWorker(id: string) {
    return this.request<{ id: string; drain: true }>('POST', `/workers/${encodeURIComponent(id)}/drain`);
  }
  health() {
    return this.request<{ status: string }>('GET', '/health');
  }
}

const sweepPath = (id: string) => `/sweeps/${encodeURIComponent(id)}`;

/** `?a=1&b=x` from the defined values, or '' when there are none. */
function query(q: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export interface SubmitResult {
  id: string;
  name: string;
  trials: number;
  created: number;
  reused: number;
  queued: number;
}

export type SweepState = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';
export type TrialState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** One item of GET /sweeps (timestamps as the API's ISO strings). */
export interface SweepSummary {
  id: string;
  name: string;
  status: SweepState;
  backend: string;
  priority: number;
  paused: boolean;
  trialCount: number;
  counts: { queued: number; running: number; done: number; failed: number; cancelled: number; total: number };
  createdAt: string;
  finishedAt: string | null;
}

/** GET /sweeps/:id. */
export interface SweepStatus extends SweepSummary {
  axes: { key: string; labels: string[] }[];
  seeds: number[];
  /** Set while queued trials wait for a kind of worker no live worker is (e.g. "gpu worker"). */
  waitingFor: string | null;
}

/** One item of GET /sweeps/:id/trials. */
export interface SweepTrial {
  id: string;
  index: number;
  labels: Record<string, string>;
  seed: number;
  status: TrialState;
  attempts: number;
  interruptions: number;
  epochsDone: number;
  epochs: number;
  testTop1: number | null;
  workerId: string | null;
  /** `{code, message}` of the last failure. */
  error: { code?: string; message?: string; [k: string]: unknown } | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface CancelResult {
  id: string;
  status: SweepState;
  /** Queued trials cancelled; running ones asked to stop; trials kept because another active sweep holds them. */
  cancelled: number;
  stopping: number;
  shared: number;
}

export interface LifecycleResult {
  id: string;
  status: SweepState;
  paused: boolean;
}

export interface SweepPatch {
  priority?: number;
  /** Values appended to axes the sweep has. */
  axes?: Record<string, unknown[]>;
  variants?: unknown[];
  seeds?: number[];
}

export interface PatchResult {
  id: string;
  priority: number;
  trialCount: number;
  /** Cells added, trials created for them (the others existed already), trials queued now. */
  added: number;
  created: number;
  queued: number;
}

/** One item of GET /workers. */
export interface WorkerItem {
  id: string;
  name: string;
  host: string;
  pid: number;
  backend: string;
  device: string;
  queues: string[];
  versions: Record<string, unknown>;
  /** idle | training | draining | unhealthy | stopped */
  state: string;
  reason: string | null;
  trialId: string | null;
  drain: boolean;
  trialsDone: number;
  trialsFailed: number;
  startedAt: string;
  lastSeen: string;
  stoppedAt: string | null;
  live: boolean;
}

/** GET /sweeps/:id/table?format=json (the fields the CLI reads). */
export interface TableJson {
  axes: string[];
  metric: string;
  /** The metric's column title; `percent`: an accuracy in [0, 1], printed as a percentage. */
  title: string;
  percent: boolean;
  rows: { labels: Record<string, string>; n: number; expected: number; mean: number | null; std: number | null }[];
}
