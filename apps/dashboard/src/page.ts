// What a page is: a route pattern and a render function that returns the page's element at once and fills it as the
// API answers. Timers, event streams and listeners are registered with `ctx.onDispose` and released on navigation.

export interface PageContext {
  /** The route's captures (e.g. the sweep id of `#/sweeps/<id>`), decoded. */
  params: string[];
  /** The route's query (`#/leaderboard?metric=testLoss`). */
  query: URLSearchParams;
  /** Rewrites the route's query in the address bar without rendering the page again (state worth a bookmark). */
  setQuery(values: Record<string, string | number | null | undefined>): void;
  /** Navigates to another route (`/sweeps`, `/trials/<id>`). */
  go(route: string): void;
  onDispose(fn: () => void): void;
  /** Runs `fn` now and every `ms` while the page is shown; skips a tick while the previous run is still going. */
  every(ms: number, fn: () => Promise<void>): void;
}

export interface PageDef {
  /** The page's name (its route file under pages/), shown in errors and used by tests as `data-page`. */
  name: string;
  /** Matched against the route's path; captures become `ctx.params`. */
  pattern: RegExp;
  /** An example route, for "did you mean" and the navigation bar. */
  example: string;
  /** The navigation bar's label, for pages that are in it. */
  nav?: string;
  title(ctx: PageContext): string;
  render(ctx: PageContext): HTMLElement;
}
