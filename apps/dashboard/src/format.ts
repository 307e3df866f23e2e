// How the dashboard prints numbers, intervals, durations and times.

/** A metric value: an accuracy as a percentage with two decimals, a count as it is, anything else to four significant digits. */
export function metric(x: number | null | undefined, percent: boolean): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (percent) return (100 * x).toFixed(2);
  return Number.isInteger(x) ? String(x) : x.toPrecision(4);
}

export function meanStd(mean: number | null, std: number | null, percent: boolean): string {
  if (mean === null) return '—';
  return std === null ? metric(mean, percent) : `${metric(mean, percent)} ± ${metric(std, percent)}`;
}

/** A difference, always signed. */
export function signed(x: number, percent: boolean): string {
  const s = metric(x, percent);
  return x > 0 ? `+${s}` : s;
}

/** 75 → "1 m 15 s"; 4000 → "1 h 7 m". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} m ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} m`;
}

/** "12 s ago", "3 m ago", or the date for anything older than a day. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  const s = (now - t) / 1000;
  if (s < 86_400) return `${duration(Math.max(0, s))} ago`;
  return when(iso);
}

/** A local date and time, to the second. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Labels as "axis=label · axis=label". */
export function labels(l: Record<string, string>): string {
  return Object.entries(l)
    .map(([k, v]) => `${k}=${v}`)
    .join(' · ');
}
