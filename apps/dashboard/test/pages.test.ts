// The page registry: every registered page answers its own example route, routes never collide, and an unknown route
// fails with the nearest known one. (What each page shows is tested in a real browser: tests/browser/.)
import { describe, expect, it } from 'vitest';
import { PAGES, pageFor, UnknownRouteError } from '../src/pages/index.js';

describe('pages', () => {
  it.each(PAGES.map((p) => [p.name, p] as const))('%s answers its example route, and only it does', (_name, page) => {
    const route = page.example.replace('<id>', 'abc123');
    expect(pageFor(route).page).toBe(page);
    expect(PAGES.filter((p) => p.pattern.test(route))).toEqual([page]);
  });

  it('passes the id of a route with one, decoded', () => {
    expect(pageFor('/sweeps/s%201')).toMatchObject({ page: { name: 'sweep' }, params: ['s 1'] });
    expect(pageFor('/trials/t1')).toMatchObject({ page: { name: 'trial' }, params: ['t1'] });
    expect(pageFor('/')).toMatchObject({ page: { name: 'sweeps' }, params: [] });
  });

  it('fails on an unknown route with a "did you mean", keeping the id', () => {
    const cases: [string, string | null][] = [
      ['/leaderbord', '/leaderboard'],
      ['/sweep/abc', '/sweeps/abc'],
      ['/trial/t1', '/trials/t1'],
      ['/Workers', '/workers'],
      ['/zzzzzzzzzz', null],
    ];
    for (const [route, suggestion] of cases) {
      let err: unknown;
      try {
        pageFor(route);
      } catch (e) {
        err = e;
      }
      expect(err, route).toBeInstanceOf(UnknownRouteError);
      expect((err as UnknownRouteError).suggestion, route).toBe(suggestion);
      expect((err as UnknownRouteError).message, route).toContain(suggestion ? `did you mean #${suggestion}?` : `no page at #${route}`);
    }
  });
});
