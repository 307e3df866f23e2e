// GET /sweeps/:id/events over a real HTTP connection: trial changes written to Postgres (as workers write them) arrive
// as Server-Sent Events in order with ids, progress carries counts and an ETA, and Last-Event-ID resumes without loss.
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../../tests/helpers/index.js';

const testbed = useTestApp();
let base = '';
beforeAll(async () => {
  await testbed.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(testbed.app.server.address() as AddressInfo).port}`;
});

interface Sse {
  id?: string;
  event: string;
  data: Record<string, unknown>;
}

/** Reads events from a stream until `until` says stop (or the timeout). */
async function readEvents(url: string, headers: Record<string, string>, until: (seen: Sse[]) => boolean, timeoutMs = 20_000): Promise<Sse[]> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const seen: Sse[] = [];
  try {
    const r = await fetch(url, { headers: { ...testbed.authHeaders, ...headers }, signal: ac.signal });
    expect(r.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = r.body!.getReader();
    let buf = '';
    while (!until(seen)) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += new TextDecoder().decode(value);
      let cut = buf.indexOf('\n\n');
      while (cut >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const fields = Object.fromEntries(
          block.split('\n').flatMap((l) => (l.includes(': ') ? [[l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]] : [])),
        );
        if (fields.event) seen.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data ?? '{}') });
        cut = buf.indexOf('\n\n');
      }
    }
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return seen;
}

describe('GET /sweeps/:id/events', () => {
  it('streams trial events in order with ids, progress with an ETA, and resumes after Last-Event-ID', async () => {
    const { app, env } = testbed;
    const spec = {
      name: 'events',
      base: { dataset: { name: 'procedural', trainSize: 64, testSize: 32 }, model: 'tiny_cnn', optimizer: 'sgd', epochs: 2 },
      axes: { 'optimizer.lr': [0.1, 0.2] },
    };
    const { id } = (await app.inject({ method: 'POST', url: '/sweeps', payload: spec })).json();
    const [a, b] = (await env.db.sweepTrial.findMany({ where: { sweepId: id }, orderBy: { index: 'asc' } })).map((c) => c.trialId);
    const url = `${base}/sweeps/${id}/events`;
    const epoch = (trialId: string, e: number) =>
      env.db.epochMetric.create({
        data: { trialId, epoch: e, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testTop1: 0.5 + e / 10, testTop5: 1, lr: 0.1, seconds: 4, attempt: 1 },
      });
    // Write the changes while the stream is open.
    const writer = (async () => {
      await new Promise((r) => setTimeout(r, 700));
      await env.db.trial.update({ where: { id: a! }, data: { status: 'running', claims: 1 } });
      await epoch(a!, 1);
      await epoch(a!, 2);
      await env.db.trial.update({ where: { id: a! }, data: { status: 'done', testTop1: 0.7 } });
      await env.db.trial.update({ where: { id: b! }, data: { status: 'running' } });
      await epoch(b!, 1);
    })();
    // Until the six trial events and a progress event after them.
    const live = await readEvents(url, {}, (s) => s.filter((e) => e.id).length >= 6 && s.at(-1)!.event === 'progress');
    await writer;
    const trialEvents = live.filter((e) => e.id);
    expect(trialEvents.map((e) => [e.event, e.data.trialId === a ? 'a' : 'b', e.data.epoch ?? null])).toEqual([
      ['started', 'a', null],
      ['epoch', 'a', 1],
      ['epoch', 'a', 2],
      ['finished', 'a', null],
      ['started', 'b', null],
      ['epoch', 'b', 1],
    ]);
    const ids = trialEvents.map((e) => Number(e.id));
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    expect(trialEvents[3]!.data).toMatchObject({ status: 'done', testTop1: 0.7 });
    // The first event of the stream is the progress snapshot; the latest says 1 done, 1 running, and 1 epoch left at
    // 4 s an epoch with one trial running: ETA 4 s.
    expect(live[0]!.event).toBe('progress');
    const progress = live.filter((e) => e.event === 'progress').at(-1)!.data;
    expect(progress).toMatchObject({ counts: { done: 1, running: 1 }, epochsLeft: 1, meanEpochSeconds: 4, etaSeconds: 4 });

    // Reconnect after the second event: the four after it, none lost, none repeated.
    const resumed = await readEvents(url, { 'last-event-id': trialEvents[1]!.id! }, (s) => s.filter((e) => e.id).length >= 4);
    expect(resumed.filter((e) => e.id).map((e) => e.id)).toEqual(trialEvents.slice(2).map((e) => e.id));
    // A stream opened now starts at the present: nothing replayed.
    const fresh = await readEvents(url, {}, (s) => s.length >= 1, 5_000);
    expect(fresh.map((e) => e.event)).toEqual(['progress']);
    expect((await app.inject({ method: 'GET', url: '/sweeps/nope/events' })).statusCode).toBe(404);
  });
});
