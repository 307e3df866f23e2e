// The live progress of a sweep for `ablate submit --wait` and `ablate status --watch`: a bar of finished trials, one
// line per running trial with its epoch, and an ETA, redrawn in place on a terminal (one line per change otherwise),
// fed by the sweep's event stream (GET /sweeps/:id/events).
import { type AblateClient, CliError, type SweepStatus } from '../client.js';

/** Exit codes of a wait: every trial done; some failed or were cancelled; the wait ran out of time. */
export const EXIT_SWEEP_FAILED = 3;
export const EXIT_TIMEOUT = 4;

type Counts = SweepStatus['counts'];

interface Running {
  labels: string;
  epoch: number;
  epochs: number;
  top1?: number;
}

export interface WaitOptions {
  /** Give up waiting after this many seconds (the sweep goes on). */
  timeoutSeconds?: number;
  out?: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Redraw in place (default: when `out` is a terminal). */
  live?: boolean;
}

export function duration(s: number): string {
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export function bar(done: number, failed: number, total: number, width = 30): string {
  if (total === 0) return `[${' '.repeat(width)}]`;
  const d = Math.round((done / total) * width);
  const f = Math.min(width - d, Math.round((failed / total) * width));
  return `[${'#'.repeat(d)}${'x'.repeat(f)}${'.'.repeat(width - d - f)}]`;
}

/**
 * Follows the sweep until no trial is queued or running, then returns its status. Throws CliError with EXIT_TIMEOUT
 * when `timeoutSeconds` passes first.
 */
export async function followSweep(client: AblateClient, id: string, o: WaitOptions = {}): Promise<SweepStatus> {
  const out = o.out ?? process.stdout;
  const live = o.live ?? Boolean((out as NodeJS.WriteStream).isTTY);
  const first = await client.sweep(id);
  if (first.counts.queued + first.counts.running === 0) return first;
  // Labels and epoch counts of the sweep's trials (pages of 1,000), and where the running ones are.
  const info = new Map<string, { labels: string; epochs: number }>();
  const running = new Map<string, Running>();
  for (let offset = 0; ; offset += 1000) {
    const page = await client.trials(id, { limit: 1000, offset });
    for (const t of page.items) {
      const labels = Object.values(t.labels).join(' · ') + (first.seeds.length > 1 ? ` · seed ${t.seed}` : '');
      info.set(t.id, { labels, epochs: t.epochs });
      if (t.status === 'running') running.set(t.id, { labels, epoch: t.epochsDone, epochs: t.epochs });
    }
    if (offset + page.items.length >= page.total) break;
  }
  let counts: Counts = first.counts;
  let eta: number | null = null;
  let drawn = 0;
  let lastLine = '';
  const t0 = Date.now();
  const render = () => {
    const c = counts;
    const elapsed = duration((Date.now() - t0) / 1000);
    const head = `${bar(c.done, c.failed + c.cancelled, c.total)} ${c.done + c.failed + c.cancelled}/${c.total} trials · ${c.running} running · ${c.queued} queued${c.failed ? ` · ${c.failed} failed` : ''} · ${elapsed}${eta !== null ? ` · ETA ${duration(eta)}` : ''}`;
    const lines = [head];
    for (const [trialId, r] of [...running].slice(0, 8)) {
      const top1 = r.top1 !== undefined ? ` · top-1 ${(100 * r.top1).toFixed(1)} %` : '';
      lines.push(`  ${trialId.slice(0, 8)} ${r.labels}: epoch ${r.epoch}/${r.epochs} ${bar(r.epoch, 0, r.epochs, 10)}${top1}`);
    }
    if (running.size > 8) lines.push(`  … and ${running.size - 8} more running`);
    if (live) {
      const width = (out as NodeJS.WriteStream).columns ?? 120;
      // Move up over what was drawn, clear each line, draw again.
      out.write(`${drawn ? `\x1b[${drawn}A` : ''}${lines.map((l) => `\x1b[2K${l.slice(0, width - 1)}`).join('\n')}\n`);
      drawn = lines.length;
    } else if (head !== lastLine) {
      out.write(`${head}\n`);
      lastLine = head;
    }
  };
  render();
  const controller = new AbortController();
  let timedOut = false;
  const timer =
    o.timeoutSeconds !== undefined
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, o.timeoutSeconds * 1000)
      : undefined;
  // The stream begins at the present: a trial that finished between the first read and the stream's start shows in the
  // first progress event, which comes at once.
  const repaint = setInterval(render, 1000);
  try {
    await client.events(
      id,
      (event, d) => {
        const trialId = String(d.trialId ?? '');
        if (event === 'progress') {
          counts = d.counts as Counts;
          eta = typeof d.etaSeconds === 'number' ? d.etaSeconds : null;
          render();
          return counts.queued + counts.running > 0;
        }
        const known = info.get(trialId) ?? { labels: trialId.slice(0, 8), epochs: 0 };
        if (event === 'started') running.set(trialId, { labels: known.labels, epoch: 0, epochs: known.epochs });
        else if (event === 'epoch') {
          const r = running.get(trialId) ?? { labels: known.labels, epoch: 0, epochs: known.epochs };
          running.set(trialId, { ...r, epoch: Number(d.epoch), top1: typeof d.testTop1 === 'number' ? d.testTop1 : undefined });
        } else running.delete(trialId);
        return true;
      },
      controller.signal,
    );
  } finally {
    clearInterval(repaint);
    if (timer) clearTimeout(timer);
  }
  if (timedOut) {
    throw new CliError(`stopped waiting after ${o.timeoutSeconds} s; the sweep goes on (ablate status ${id} --watch)`, EXIT_TIMEOUT);
  }
  const final = await client.sweep(id);
  counts = final.counts;
  running.clear();
  eta = null;
  render();
  return final;
}

/** The exit code a finished wait ends with: 0 when every trial is done, EXIT_SWEEP_FAILED otherwise. */
export function exitCodeOf(s: SweepStatus): number {
  return s.counts.failed + s.counts.cancelled > 0 ? EXIT_SWEEP_FAILED : 0;
}
