// The dashboard in a real browser (Debian's Chromium through playwright-core) against a real stack: the API on a port,
// a real worker training a small sweep, Postgres and Redis. Every page is loaded and what it shows is checked while
// the sweep runs (the table and the progress fill in from the event stream, without a reload), the lifecycle buttons
// change a sweep, and a full-page screenshot of each page goes to test-artifacts/dashboard/<page>.png.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../../apps/dashboard/build.js';
import { ROOT, useTestApp } from '../helpers/index.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test-artifacts', 'dashboard');
/** Conditions get this long: the worker shares two cores with the browser, the API and another test file. */
const WAIT_MS = 60_000;
const TRAIN_MS = 150_000;

const spec = {
  name: 'dashboard 2x2',
  base: {
    dataset: { name: 'procedural', classes: 4, trainSize: 256, testSize: 64, imageSize: 16 },
    model: { name: 'tiny_cnn', width: 8 },
    optimizer: { name: 'adam', lr: 3e-3 },
    epochs: 2,
    batchSize: 32,
  },
  axes: {
    optimizer: [
      { name: 'adam', lr: 3e-3 },
      { name: 'adam', lr: 1e-2 },
    ],
    augmentation: ['none', 'hflip'],
  },
  seeds: [0, 1],
};
// Waits for a gpu worker, which this test never starts: its trials stay queued whatever the other sweep does.
const waitingSpec = { name: 'dashboard lifecycle', backend: 'gpu', base: { ...spec.base, epochs: 1 }, seeds: [0, 1] };

const testbed = useTestApp();
let base = '';
let context: BrowserContext | undefined;
let page: Page;
let profile = '';
let sweepId = '';
let waitingId = '';
const requests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the dashboard is tested in Debian's Chromium. Install it with: apt-get install chromium`);
  }
  await buildDashboard();
  await testbed.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(testbed.app.server.address() as AddressInfo).port}`;
  testbed.startWorker();
  await mkdir(ARTIFACTS, { recursive: true });
  profile = await mkdtemp(join(tmpdir(), 'ablate-chromium-'));
  // A fresh profile each run: no cache, cookies or service workers carried over.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    timeout: WAIT_MS,
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(WAIT_MS);
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => void d.accept());

  const a = await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: spec });
  expect(a.statusCode, a.body).toBe(201);
  sweepId = a.json().id;
  const b = await testbed.app.inject({ method: 'POST', url: '/sweeps', payload: waitingSpec });
  expect(b.statusCode, b.body).toBe(201);
  waitingId = b.json().id;
}, 120_000);

afterAll(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

/** Waits until `fn` (run in the page) returns a truthy value; on timeout says what it waited for and what the page showed. */
async function until<A>(what: string, fn: (arg: A) => unknown, arg?: A, timeout = WAIT_MS): Promise<void> {
  try {
    // The function runs in the page, where `arg` arrives serialized: playwright's types cannot follow a generic A there.
    await page.waitForFunction(fn as Parameters<Page['waitForFunction']>[0], arg, { timeout, polling: 250 });
  } catch (err) {
    // biome-ignore lint/performance/useDomNodeTextContent: the text as a person reads it (textContent runs cells together)
    const text = await page.evaluate(() => document.querySelector('main')?.innerText ?? '').catch(() => '');
    throw new Error(`waiting for ${what}: ${(err as Error).message.split('\n')[0]}\npage showed:\n${text.slice(0, 2000)}`);
  }
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * Whether the API draws this plot: the page must then show the image, else hide its figure. 404: no such plot route;
 * 409: the trial or sweep has no data for it (an LR-finder plot of a trial that ran no LR range test).
 */
async function plotExists(url: string): Promise<boolean> {
  const r = await testbed.app.inject({ method: 'GET', url });
  if (r.statusCode === 200) return true;
  expect([404, 409], `${url}: ${r.body.slice(0, 200)}`).toContain(r.statusCode);
  return false;
}

async function expectPlot(name: string, url: string): Promise<void> {
  const fig = `figure[data-plot="${name}"]`;
  if (await plotExists(url)) {
    await until(
      `plot ${name} to load`,
      (sel) => {
        const img = document.querySelector<HTMLImageElement>(`${sel} img`);
        return img?.complete && img.naturalWidth > 0 && !img.closest('figure')!.hidden;
      },
      fig,
    );
  } else {
    await until(
      `plot ${name} to be hidden (its route answers 404 or 409)`,
      (sel) => document.querySelector<HTMLElement>(sel)?.dataset.state === 'missing',
      fig,
    );
    expect(await page.locator(fig).isHidden()).toBe(true);
  }
}

describe('the dashboard', () => {
  it('asks for a key without one, and takes one handed over in the address (as `npm start` prints it)', async () => {
    await page.goto(`${base}/`);
    await page.waitForSelector('[data-page="key"]');
    expect(await page.title()).toBe('API key · ablate');
    await page.goto(`${base}/#key=${testbed.key}`);
    await page.waitForSelector('[data-page="sweeps"]');
    // The key is kept by the browser and no longer in the address.
    expect(page.url()).toBe(`${base}/#/`);
    expect(await page.evaluate(() => localStorage.getItem('ablate.apiKey'))).toBe(testbed.key);
  });

  it('lists the sweeps with their status and progress', async () => {
    await page.goto(`${base}/`);
    await until('both sweeps listed', (ids) => ids.every((id) => document.querySelector(`tr[data-sweep="${id}"]`)), [sweepId, waitingId]);
    const row = page.locator(`tr[data-sweep="${sweepId}"]`);
    expect(await row.locator('a').first().textContent()).toBe('dashboard 2x2');
    expect(await row.locator('.progress-text').textContent()).toMatch(/^\d\/8 done/);
    expect(await row.locator('[role=progressbar]').getAttribute('aria-valuemax')).toBe('8');
    expect(await page.locator(`tr[data-sweep="${waitingId}"] .badge`).textContent()).toBe('queued');
    expect(await page.title()).toBe('Sweeps · ablate');
  });

  it('shows a sweep filling in live: progress and ETA from the event stream, the table, Δ against a chosen baseline, plots and trials', async () => {
    await page.click(`tr[data-sweep="${sweepId}"] a`);
    await until('the sweep page', () => document.querySelector('[data-page=sweep] h1')?.textContent?.includes('dashboard 2x2'));
    expect(page.url()).toBe(`${base}/#/sweeps/${sweepId}`);
    // Everything from here on must arrive without a reload: the marker would be gone.
    await page.evaluate(() => {
      const w = window as unknown as { __seen: { done: string; eta: string }[]; __marker: boolean };
      w.__marker = true;
      w.__seen = [];
      const p = document.querySelector<HTMLElement>('.progress')!;
      new MutationObserver(() => w.__seen.push({ done: p.dataset.done ?? '', eta: p.dataset.eta ?? '' })).observe(p, { attributes: true });
    });
    await until('the event stream to connect', () => document.querySelector<HTMLElement>('.live-state')?.dataset.state === 'open');
    await until('4 table rows', () => document.querySelectorAll('.table-box tbody tr[data-row]').length === 4);
    await until('an ETA while trials run', () => /ETA \d/.test(document.querySelector('.progress .eta')?.textContent ?? ''), undefined, TRAIN_MS);
    await until(
      'every row to have both seeds (n 2/2)',
      () => [...document.querySelectorAll('.table-box td.n')].map((td) => td.textContent).join() === '2/2,2/2,2/2,2/2',
      undefined,
      TRAIN_MS,
    );
    await until('the progress at 8/8', () => document.querySelector<HTMLElement>('.progress')?.dataset.done === '8', undefined, WAIT_MS);
    await until('the sweep done', () => document.querySelector('[data-page=sweep] h1 .badge')?.textContent === 'done');
    const seen = await page.evaluate(() => (window as unknown as { __seen: { done: string; eta: string }[]; __marker?: boolean }).__seen);
    expect(await page.evaluate(() => (window as unknown as { __marker?: boolean }).__marker)).toBe(true);
    // The counts moved on the open page (from below 8 to 8), and an ETA was shown while trials ran.
    expect(
      seen.some((s) => Number(s.done) < 8),
      JSON.stringify(seen),
    ).toBe(true);
    expect(seen.at(-1)?.done, JSON.stringify(seen)).toBe('8');
    expect(
      seen.some((s) => Number(s.eta) > 0),
      JSON.stringify(seen),
    ).toBe(true);
    expect(await page.locator('.progress-counts').textContent()).toBe('8/8 done');
    expect(await page.locator('.progress .eta').textContent()).toContain('finished');
    // Table: 4 configurations, each top-1 as mean ± std with n.
    const means = await page.locator('.table-box td.mean').allTextContents();
    expect(means).toHaveLength(4);
    for (const m of means) expect(m).toMatch(/^\d+\.\d\d ± \d+\.\d\d$/);
    // A baseline from the select: every other row gets Δ, its 95 % CI and the test used (same seeds: paired).
    const options = await page.locator('select[name=baseline] option').allTextContents();
    expect(options).toHaveLength(5);
    expect(options[0]).toBe('none');
    await page.selectOption('select[name=baseline]', { index: 1 });
    await until('Δ for the 3 other rows', () => document.querySelectorAll('.table-box td.delta').length === 3);
    expect(await page.locator('.table-box tr.baseline-row').count()).toBe(1);
    expect(await page.locator('.table-box th').allTextContents()).toEqual(expect.arrayContaining(['Δ vs baseline', '95 % CI', 'test']));
    for (const d of await page.locator('.table-box td.delta').allTextContents()) expect(d).toMatch(/^[+-]?\d+\.\d\d( ✱)?$/);
    for (const ci of await page.locator('.table-box td.ci').allTextContents()) expect(ci).toMatch(/^\[[+-]?\d+\.\d\d, [+-]?\d+\.\d\d\]$/);
    expect(new Set(await page.locator('.table-box td.method').allTextContents())).toEqual(new Set(['paired']));
    expect(page.url()).toContain('baseline=');
    // Plots: images that loaded (once the plot routes exist), with the chosen metric and baseline.
    const baseline = new URL(page.url().replace('#', '')).searchParams.get('baseline')!;
    const q = `metric=testTop1&baseline=${encodeURIComponent(baseline)}`;
    await expectPlot('bars', `/sweeps/${sweepId}/plots/bars.svg?${q}`);
    await expectPlot('curves', `/sweeps/${sweepId}/plots/curves.svg?metric=testTop1`);
    // Trials: all 8 done, 2/2 epochs, each linking to its page.
    const trialRows = page.locator('.trials-box tr[data-trial]');
    expect(await trialRows.count()).toBe(8);
    expect(new Set(await trialRows.locator('.badge').allTextContents())).toEqual(new Set(['done']));
    for (const row of await trialRows.all()) expect(await row.locator('td').nth(5).textContent()).toBe('2/2');
    await screenshot('sweep');
    // Another metric: the table's column says which.
    await page.selectOption('select[name=metric]', 'testLoss');
    await until('the test-loss table', () => [...document.querySelectorAll('.table-box th')].some((th) => th.textContent === 'test loss'));
    expect(page.url()).toContain('metric=testLoss');
  }, 240_000);

  it('shows a trial: status, config, the epochs table, its CSV and its plots', async () => {
    const trialId = await page.locator('.trials-box tr[data-trial]').first().getAttribute('data-trial');
    await page.click(`.trials-box tr[data-trial="${trialId}"] td:nth-child(2) a`);
    await until('the trial page', () => document.querySelector('pre.config')?.textContent?.includes('"tiny_cnn"'));
    expect(page.url()).toBe(`${base}/#/trials/${trialId}`);
    expect(await page.locator('[data-page=trial] h1 .badge').textContent()).toBe('done');
    expect(await page.locator('[data-page=trial] tr[data-epoch]').count()).toBe(2);
    const meta = await page.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll('dl.meta dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])),
    );
    expect(meta).toMatchObject({
      seed: expect.stringMatching(/^[01]$/),
      attempts: '1',
      backend: 'wasm (cpu)',
      sweeps: expect.stringContaining(sweepId),
    });
    const csv = page.locator('a', { hasText: 'epochs.csv' });
    expect(await csv.getAttribute('href')).toBe(`/experiments/${trialId}/epochs.csv`);
    // The link downloads through the key-carrying fetch; the same request, made here, answers the CSV.
    const download = page.waitForEvent('download');
    await csv.click();
    expect((await download).suggestedFilename()).toBe(`experiment-${trialId}-epochs.csv`);
    const body = await page.evaluate(
      async ([href, key]) => (await fetch(href!, { headers: { authorization: `Bearer ${key}` } })).text(),
      [`/experiments/${trialId}/epochs.csv`, testbed.key],
    );
    expect(body.split('\n')[0]).toContain('epoch');
    for (const name of ['curves', 'lr', 'confusion', 'roc', 'pr', 'lr_finder']) await expectPlot(name, `/experiments/${trialId}/plots/${name}.svg`);
    await screenshot('trial');
  }, 120_000);

  it('shows the finished sweep in the list', async () => {
    await page.goto(`${base}/#/`);
    await until(
      'the sweep at 8/8',
      (id) => document.querySelector(`tr[data-sweep="${id}"] .progress-text`)?.textContent?.startsWith('8/8 done'),
      sweepId,
    );
    expect(await page.locator(`tr[data-sweep="${sweepId}"] .badge`).textContent()).toBe('done');
    await screenshot('sweeps');
  });

  it('pauses, resumes, cancels, retries and deletes a sweep with its buttons, and shows a refusal', async () => {
    await page.goto(`${base}/#/sweeps/${waitingId}`);
    const status = () => page.locator('[data-page=sweep] h1 .badge').textContent();
    const click = async (verb: string, expected: string) => {
      await page.click(`button[data-action=${verb}]`);
      await until(`status ${expected} after ${verb}`, (s) => document.querySelector('[data-page=sweep] h1 .badge')?.textContent === s, expected);
    };
    await until('the waiting sweep', () => document.querySelector('[data-page=sweep] h1 .badge')?.textContent === 'queued');
    expect(await page.locator('.warning').textContent()).toContain('gpu worker');
    expect(await page.locator('button[data-action=resume]').isDisabled()).toBe(true);
    await click('pause', 'paused');
    expect(await page.locator('.action-message').textContent()).toBe('pause: the sweep is paused');
    expect(await page.locator('button[data-action=pause]').isDisabled()).toBe(true);
    await click('resume', 'queued');
    // Deleting an active sweep is refused: the API's code and message are shown, the sweep stays.
    await page.click('button[data-action=delete]');
    await until('the refusal', () => document.querySelector('.action-message .error')?.textContent?.includes('SWEEP_ERR_BUSY'));
    expect(await status()).toBe('queued');
    await click('cancel', 'cancelled');
    await click('retry', 'queued');
    expect(await page.locator('.action-message').textContent()).toMatch(/retry: the sweep is queued, 2 trial\(s\) requeued/);
    await click('cancel', 'cancelled');
    await screenshot('sweep-cancelled');
    await page.click('button[data-action=delete]');
    await until('the sweeps list after the delete', () => location.hash === '#/' && document.querySelector('[data-page=sweeps] tbody tr'));
    await until('the deleted sweep gone from the list', (id) => !document.querySelector(`tr[data-sweep="${id}"]`), waitingId);
    expect((await testbed.app.inject({ method: 'GET', url: `/sweeps/${waitingId}` })).statusCode).toBe(404);
  }, 120_000);

  it('ranks configurations on the leaderboard, filtered by dataset and metric', async () => {
    await page.click('nav a[data-nav=leaderboard]');
    await until('4 leaderboard rows', () => document.querySelectorAll('[data-page=leaderboard] tbody tr[data-group]').length === 4);
    const ranks = await page.locator('tbody tr[data-group] td:first-child').allTextContents();
    expect(ranks.map((r) => r.replace(' (tie)', ''))).toEqual(['1', '2', '3', '4']);
    for (const c of await page.locator('tbody tr[data-group] td:nth-child(2)').allTextContents()) expect(c).toContain('tiny_cnn');
    expect(await page.locator('th').allTextContents()).toContain('top-1 (%)');
    await screenshot('leaderboard');
    await page.fill('input[name=dataset]', 'cifar10');
    await page.click('form.toolbar button[type=submit]');
    await until('no row for another dataset', () => document.querySelector('[data-page=leaderboard] tr.empty'));
    await page.fill('input[name=dataset]', 'procedural');
    await page.click('form.toolbar button[type=submit]');
    await page.selectOption('select[name=metric]', 'testLoss');
    await until('the test-loss leaderboard', () => [...document.querySelectorAll('th')].some((th) => th.textContent === 'test loss'));
    expect(await page.locator('tbody tr[data-group]').count()).toBe(4);
    expect(page.url()).toContain('dataset=procedural');
  });

  it('lists the running worker and drains it', async () => {
    await page.click('nav a[data-nav=workers]');
    await until('the worker listed', () => document.querySelectorAll('[data-page=workers] tbody tr[data-worker]').length === 1);
    const row = page.locator('tbody tr[data-worker]');
    expect(await row.locator('td').nth(2).textContent()).toBe('wasm / cpu');
    expect(await row.locator('td').nth(4).textContent()).toMatch(/ago$/);
    expect(Number(await row.locator('td').nth(5).textContent())).toBeGreaterThanOrEqual(8);
    await screenshot('workers');
    await page.click('button[data-action=drain]');
    await until('the drain acknowledged', () => document.querySelector('.action-message')?.textContent?.includes('drain requested'));
  });

  it('says which page was meant for an unknown route', async () => {
    await page.goto(`${base}/#/leaderbord`);
    await until('the not-found page', () => document.querySelector('[data-page=not-found]'));
    expect(await page.locator('main .error').textContent()).toBe('no page at #/leaderbord; did you mean #/leaderboard?');
  });

  it('loaded nothing from outside the API and threw no error', () => {
    expect(requests.length).toBeGreaterThan(10);
    const outside = requests.filter((u) => !u.startsWith(`${base}/`) && !u.startsWith('blob:') && !u.startsWith('data:'));
    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
