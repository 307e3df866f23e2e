// The dashboard's pages, one per file, and the one factory that turns a route into a page (or says which route was
// probably meant).
import type { PageDef } from '../page.js';
import { leaderboardPage } from './leaderboard.js';
import { sweepPage } from './sweep.js';
import { sweepsPage } from './sweeps.js';
import { trialPage } from './trial.js';
import { workersPage } from './workers.js';

export const PAGES: readonly PageDef[] = [sweepsPage, sweepPage, trialPage, leaderboardPage, workersPage];

export class UnknownRouteError extends Error {
  readonly code = 'DASHBOARD_ERR_UNKNOWN_ROUTE';
  constructor(
    readonly route: string,
    readonly suggestion: string | null,
  ) {
    super(`no page at #${route}${suggestion ? `; did you mean #${suggestion}?` : ''}`);
    this.name = new.target.name;
  }
}

/** The page for a route's path and its captures; throws UnknownRouteError naming the nearest known route. */
export function pageFor(path: string): { page: PageDef; params: string[] } {
  for (const page of PAGES) {
    const m = page.pattern.exec(path);
    if (m) return { page, params: m.slice(1).map((p) => decodeURIComponent(p)) };
  }
  throw new UnknownRouteError(path, nearest(path));
}

function nearest(path: string): string | null {
  const [, first = '', ...rest] = path.split('/');
  let best: { d: number; route: string } | null = null;
  for (const page of PAGES) {
    const [, head = '', ...tail] = page.example.split('/');
    const d = distance(first.toLowerCase(), head);
    // Keep the rest of the path (an id) when the page takes one.
    const route = tail.length && rest.length ? `/${head}/${rest.join('/')}` : page.example;
    if (!best || d < best.d) best = { d, route };
  }
  return best && best.d <= Math.max(2, Math.floor(first.length / 3)) ? best.route : null;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
