// A small typed HTTP client for the ablate API; API errors become CliError with the server's field-level issues.
import type { SweepSpecInput } from '@ablate/spec';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

interface ApiErrorBody {
  code?: string;
  message?: string;
  issues?: { path: string; message: string }[];
}

export class AblateClient {
  constructor(readonly baseUrl: string) {}

  private async request<T>(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<T> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: { accept, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (err) {
      throw new CliError(`cannot reach the ablate API at ${this.baseUrl} (${(err as Error).message}); start it or pass --api`);
    }
    const text = await res.text();
    if (!res.ok) {
      let detail: ApiErrorBody = {};
      try {
        detail = JSON.parse(text) as ApiErrorBody;
      } catch {
        /* not JSON */
      }
      const issues = detail.issues?.map((i) => `  ${i.path || '(body)'}: ${i.message}`).join('\n');
      throw new CliError(`${res.status} ${detail.code ?? ''} ${issues ? `\n${issues}` : (detail.message ?? text)}`.trim());
    }
    return (accept === 'application/json' ? JSON.parse(text) : text) as T;
  }

  submit(spec: SweepSpecInput, opts: { dryRun?: boolean } = {}) {
    return this.request<SubmitResult>('POST', `/sweeps${opts.dryRun ? '?dryRun=true' : ''}`, spec);
  }
  sweep(id: string) {
    return this.request<SweepStatus>('GET', `/sweeps/${encodeURIComponent(id)}`);
  }
  table(id: string, format: 'json', metric?: string): Promise<TableJson>;
  table(id: string, format: 'markdown' | 'csv', metric?: string): Promise<string>;
  table(id: string, format: 'markdown' | 'csv' | 'json', metric?: string): Promise<string | TableJson>;
  table(id: string, format: 'markdown' | 'csv' | 'json', metric = 'testTop1') {
    const q = `format=${format}&metric=${encodeURIComponent(metric)}`;
    return this.request<string | TableJson>(
      'GET',
      `/sweeps/${encodeURIComponent(id)}/table?${q}`,
      undefined,
      format === 'json' ? 'application/json' : '*/*',
    );
  }
  health() {
    return this.request<{ status: string }>('GET', '/health');
  }
}

export interface SubmitResult {
  id: string;
  name: string;
  trials: number;
  created: number;
  reused: number;
  queued: number;
}

export interface SweepStatus {
  id: string;
  name: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  trialCount: number;
  counts: { queued: number; running: number; done: number; failed: number; cancelled: number; total: number };
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
