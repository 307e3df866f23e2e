// Hostile requests for every route and parameter of the API, generated from a seed (mulberry32): malformed JSON,
// wrong types, huge arrays and strings, deep nesting, NUL, lone surrogates, unknown fields, prototype keys, path
// traversal and SQL-looking strings in every string field, odd content types and encodings, invalid and oversized ids,
// and requests Node's HTTP parser refuses (sent as raw bytes). The same seed gives the same requests.
import { gzipSync } from 'node:zlib';

/** A route as the router knows it: `GET /sweeps/:id/table`, its path and query parameters, whether it takes a body. */
export interface RouteInfo {
  method: string;
  /** Fastify's template: `/sweeps/:id/plots/bars.:format`, `/assets/*`. */
  template: string;
  params: string[];
  query: { name: string; type: string; enum?: string[] }[];
  body: boolean;
}

export interface HostileRequest {
  /** `METHOD template` of the route it aims at. */
  route: string;
  /** What it tries (`query.repeat`, `body.nul`, `id.traversal`, …): counted in the report. */
  kind: string;
  method: string;
  /** Path and query exactly as sent (already percent-encoded). */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Bytes sent as they are on a fresh socket (request line and headers included); `path` etc. are informative. */
  raw?: Buffer;
  /** Must not be accepted (2xx): NUL, lone surrogates, prototype keys, nesting, malformed JSON, odd encodings. */
  mustFail: boolean;
  /** Carries a prototype-polluting key: the suite checks the server right after it. */
  proto: boolean;
}

/** What a request needs to aim at stored data: a sweep and one of its trials stored before the run. */
export interface Known {
  sweepId: string;
  trialId: string;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rand {
  readonly next: () => number;
  constructor(readonly seed: number) {
    this.next = mulberry32(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  sample<T>(xs: readonly T[], n: number): T[] {
    const copy = [...xs];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** A small valid sweep (2 trials): the skeleton every body attack mutates. */
export function validSpec(name = 'hostile base'): Record<string, unknown> {
  return {
    name,
    description: 'a sweep the hostile-input suite mutates',
    base: {
      dataset: { name: 'procedural', classes: 4, trainSize: 64, testSize: 32, imageSize: 8 },
      model: 'mlp',
      optimizer: { name: 'sgd', lr: 0.1 },
      epochs: 1,
    },
    axes: { model: ['mlp', { name: 'tiny_cnn', width: 4, label: 'cnn' }] },
    seeds: [0],
  };
}

/** The same with every optional part a string can hide in: variants, zip, exclude, include, a study table, an image folder. */
export function richSpec(): Record<string, unknown> {
  return {
    ...validSpec('hostile rich'),
    base: {
      dataset: { name: 'image_folder', path: 'hostile/cats', size: 8 },
      model: 'mlp',
      optimizer: { name: 'sgd', lr: 0.1 },
      epochs: 1,
    },
    axes: { 'optimizer.lr': [0.1, 0.05], optimizer: ['sgd', { name: 'adam', lr: 0.001, label: 'adam-slow' }] },
    variants: [
      { label: 'plain', set: { model: 'mlp' } },
      { label: 'cnn', set: { model: { name: 'tiny_cnn', width: 4 } } },
    ],
    zip: [['optimizer.lr', 'optimizer']],
    exclude: [{ variant: 'cnn', optimizer: 'adam-slow' }],
    include: [{ variant: 'cnn', 'optimizer.lr': 0.2, optimizer: 'sgd' }],
    table: { title: 'hostile', columns: ['method'], rows: [{ cells: ['plain'], where: { variant: 'plain' } }] },
  };
}

/** Strings that probe escaping, parsing and the disk: every string field gets each. */
export const HOSTILE_STRINGS: readonly { kind: string; value: string; mustFail?: boolean }[] = [
  { kind: 'sql', value: "' OR '1'='1" },
  { kind: 'sql', value: 'x"; DROP TABLE "Sweep"; --' },
  { kind: 'sql', value: '1); SELECT pg_sleep(5); --' },
  { kind: 'traversal', value: '../../../../etc/passwd' },
  { kind: 'traversal', value: '/etc' },
  { kind: 'traversal', value: '..\\..\\windows\\system32' },
  { kind: 'traversal', value: '/proc/self/environ' },
  { kind: 'traversal', value: 'hostile/../../..' },
  { kind: 'traversal', value: 'file:///etc/passwd' },
  { kind: 'nul', value: 'a\u0000b', mustFail: true },
  { kind: 'nul', value: '\u0000', mustFail: true },
  { kind: 'surrogate', value: 'x\uD800y', mustFail: true },
  { kind: 'surrogate', value: '\uDFFF', mustFail: true },
  { kind: 'surrogate', value: 'end\uDBFF', mustFail: true },
  { kind: 'unicode', value: '😀 ünïcödé \u202e\u200b' },
  { kind: 'html', value: '<script>alert(1)</script>' },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text a log4j-style lookup would expand
  { kind: 'template', value: '${jndi:ldap://x/a} {{7*7}} %s%n' },
  { kind: 'long', value: 'L'.repeat(10_000) },
  { kind: 'long', value: 'M'.repeat(201) },
  { kind: 'empty', value: '' },
  { kind: 'whitespace', value: ' \t\r\n ' },
  { kind: 'control', value: '\u0001\u001f\u007f\b' },
  { kind: 'json', value: '{"__proto__":{"polluted":true}}' },
];

/** Values of the wrong type for any field. */
const WRONG_TYPES: readonly unknown[] = [null, 0, -1, 1e308, -1e308, 0.5, true, [], {}, 'x', [[[]]], '1', [null], { a: [] }, 2 ** 53 + 1];

/** Path segment values (already percent-encoded) that are not ids, or are ids gone wrong. */
function idAttacks(known: Known): { kind: string; value: string; mustFail?: boolean }[] {
  return [
    { kind: 'id.nul', value: '%00', mustFail: true },
    { kind: 'id.nul', value: `${known.sweepId.slice(0, 8)}%00x`, mustFail: true },
    { kind: 'id.surrogate', value: '%ED%A0%80', mustFail: true },
    { kind: 'id.bad-utf8', value: '%FF%FE', mustFail: true },
    { kind: 'id.bad-utf8', value: '%C0%AE%C0%AE', mustFail: true },
    { kind: 'id.bad-percent', value: '%zz' },
    { kind: 'id.bad-percent', value: '%' },
    { kind: 'id.traversal', value: '..%2F..%2Fetc%2Fpasswd' },
    { kind: 'id.traversal', value: '%2e%2e' },
    { kind: 'id.traversal', value: '..%5C..%5Cboot.ini' },
    { kind: 'id.sql', value: encodeURIComponent("' OR '1'='1") },
    { kind: 'id.sql', value: encodeURIComponent('1; DROP TABLE "Trial"; --') },
    { kind: 'id.oversized', value: 'a'.repeat(101) },
    { kind: 'id.oversized', value: 'b'.repeat(10_000) },
    { kind: 'id.max', value: 'c'.repeat(100) },
    { kind: 'id.number', value: '-1' },
    { kind: 'id.number', value: '99999999999999999999999999' },
    { kind: 'id.number', value: '1e309' },
    { kind: 'id.number', value: 'NaN' },
    { kind: 'id.unicode', value: encodeURIComponent('😀\u202e') },
    { kind: 'id.proto', value: '__proto__' },
    { kind: 'id.proto', value: 'constructor' },
    { kind: 'id.html', value: encodeURIComponent('<img src=x onerror=alert(1)>') },
    { kind: 'id.crlf', value: '%0d%0aSet-Cookie:%20x=1' },
    { kind: 'id.case', value: known.sweepId.toUpperCase() },
    { kind: 'id.space', value: `${known.sweepId}%20` },
    { kind: 'id.json', value: encodeURIComponent('{"$ne":null}') },
  ];
}

/** Query strings for one parameter (name given), as raw `a=b&…` text. */
function queryAttacks(name: string, q: RouteInfo['query'][number]): { kind: string; qs: string; mustFail?: boolean }[] {
  const n = encodeURIComponent(name);
  const valid = q.enum?.[0] ?? (q.type === 'integer' ? '1' : 'x');
  return [
    { kind: 'query.repeat', qs: `${n}=${valid}&${n}=${valid}`, mustFail: true },
    { kind: 'query.repeat', qs: `${n}=1&${n}=2&${n}=3`, mustFail: true },
    { kind: 'query.brackets', qs: `${n}[]=${valid}`, mustFail: true },
    { kind: 'query.brackets', qs: `${n}[a]=${valid}`, mustFail: true },
    { kind: 'query.nul', qs: `${n}=%00`, mustFail: true },
    { kind: 'query.nul', qs: `${n}=${valid}%00`, mustFail: true },
    { kind: 'query.surrogate', qs: `${n}=%ED%A0%80` },
    { kind: 'query.surrogate', qs: `${n}=%uD800` },
    { kind: 'query.long', qs: `${n}=${'q'.repeat(10_000)}` },
    { kind: 'query.sql', qs: `${n}=${encodeURIComponent("' OR 1=1 --")}` },
    { kind: 'query.sql', qs: `${n}=${encodeURIComponent('model=x;dataset=y\');DROP TABLE "Sweep";--')}` },
    { kind: 'query.traversal', qs: `${n}=${encodeURIComponent('../../../etc/passwd')}` },
    { kind: 'query.type', qs: `${n}=abc` },
    { kind: 'query.type', qs: `${n}=-1` },
    { kind: 'query.type', qs: `${n}=1e309` },
    { kind: 'query.type', qs: `${n}=NaN` },
    { kind: 'query.type', qs: `${n}=Infinity` },
    { kind: 'query.type', qs: `${n}=0x10` },
    { kind: 'query.type', qs: `${n}=99999999999999999999` },
    { kind: 'query.empty', qs: `${n}=` },
    { kind: 'query.empty', qs: n },
    { kind: 'query.json', qs: `${n}=${encodeURIComponent('{"__proto__":{"polluted":1}}')}` },
    { kind: 'query.json', qs: `${n}=${encodeURIComponent(`${'{"a":'.repeat(500)}1${'}'.repeat(500)}`)}` },
  ];
}

/** Query strings for a route as a whole: prototype names, unknown and countless parameters. */
const ROUTE_QUERY_ATTACKS: readonly { kind: string; qs: string; mustFail?: boolean; proto?: boolean }[] = [
  { kind: 'query.proto', qs: '__proto__=x', mustFail: true, proto: true },
  { kind: 'query.proto', qs: '__proto__[polluted]=1', mustFail: true, proto: true },
  { kind: 'query.proto', qs: 'constructor[prototype][polluted]=1', mustFail: true, proto: true },
  { kind: 'query.proto', qs: 'constructor=1', mustFail: true, proto: true },
  { kind: 'query.unknown', qs: 'zzz=1', mustFail: true },
  { kind: 'query.many', qs: Array.from({ length: 500 }, (_, i) => `p${i}=${i}`).join('&'), mustFail: true },
  { kind: 'query.nul-name', qs: '%00=1', mustFail: true },
  { kind: 'query.odd', qs: '&&&=&==' },
  { kind: 'query.odd', qs: '%' },
];

function setAt(obj: unknown, path: (string | number)[], value: unknown): void {
  let o = obj as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) o = o[p] as Record<string | number, unknown>;
  Object.defineProperty(o, path[path.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
}

/** Paths of every string value in a JSON value (and of every object, for key attacks). */
function leaves(v: unknown, path: (string | number)[] = [], out = { strings: [] as (string | number)[][], objects: [] as (string | number)[][] }) {
  if (typeof v === 'string') out.strings.push(path);
  else if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) leaves(x, [...path, i], out);
  } else if (v && typeof v === 'object') {
    out.objects.push(path);
    for (const [k, x] of Object.entries(v)) leaves(x, [...path, k], out);
  }
  return out;
}

/** A key renamed in place (order kept), so the hostile name sits where the real one was. */
function renameKey(obj: unknown, path: (string | number)[], newKey: string): void {
  const parent = path.slice(0, -1).reduce<unknown>((o, p) => (o as Record<string | number, unknown>)[p], obj) as Record<string, unknown>;
  const old = String(path[path.length - 1]);
  const entries = Object.entries(parent);
  for (const k of Object.keys(parent)) delete parent[k];
  for (const [k, v] of entries)
    Object.defineProperty(parent, k === old ? newKey : k, { value: v, enumerable: true, writable: true, configurable: true });
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Bodies for a route that takes one: `base` is its valid skeleton, mutated one way per body. */
function bodyAttacks(
  rand: Rand,
  base: Record<string, unknown>,
  rich: boolean,
): { kind: string; body: string | Buffer; headers?: Record<string, string>; mustFail?: boolean; proto?: boolean }[] {
  const json = (v: unknown) => JSON.stringify(v);
  const out: ReturnType<typeof bodyAttacks> = [];
  const skeletons = rich ? [base, richSpec()] : [base];
  // Every string field, and every key, gets hostile strings (a sample of them per field, NUL and a surrogate always).
  for (const skel of skeletons) {
    const { strings, objects } = leaves(skel);
    for (const path of strings) {
      const picks = [HOSTILE_STRINGS[9]!, HOSTILE_STRINGS[11]!, ...rand.sample(HOSTILE_STRINGS, 4)];
      for (const h of picks) {
        const b = clone(skel);
        setAt(b, path, h.value);
        // An image folder outside the data roots: one refusal, whatever the disk holds.
        const escapes = path[path.length - 1] === 'path' && /^\/|\.\.\//.test(h.value);
        out.push({ kind: `body.string.${escapes ? 'dataset-path' : h.kind}`, body: json(b), mustFail: h.mustFail || escapes });
      }
    }
    for (const path of objects.filter((p) => p.length > 0)) {
      const b = clone(skel);
      const h = rand.pick(HOSTILE_STRINGS.filter((s) => s.value !== ''));
      renameKey(b, path, h.value);
      out.push({ kind: `body.key.${h.kind}`, body: json(b), mustFail: h.mustFail });
    }
    // Wrong types, for every field of every object.
    for (const path of objects) {
      const obj = path.reduce<unknown>((o, p) => (o as Record<string | number, unknown>)[p], skel) as Record<string, unknown>;
      for (const k of rand.sample(Object.keys(obj), 3)) {
        const b = clone(skel);
        setAt(b, [...path, k], rand.pick(WRONG_TYPES));
        out.push({ kind: 'body.wrong-type', body: json(b) });
      }
      // Unknown fields.
      const b = clone(skel);
      setAt(b, [...path, `unknown_${rand.int(1000)}`], rand.pick(WRONG_TYPES));
      out.push({ kind: 'body.unknown-field', body: json(b) });
    }
    // Prototype keys at every object.
    for (const path of objects) {
      for (const key of ['__proto__', 'constructor', 'prototype']) {
        const b = clone(skel);
        const text = json(b);
        // Spliced in as text: an object literal would set the prototype instead of an own key.
        const payload = `"${key}":{"polluted":true,"prototype":{"polluted":true}}`;
        const at = locateObject(text, path);
        out.push({
          kind: `body.proto.${key}`,
          body: `${text.slice(0, at + 1)}${payload}${text[at + 1] === '}' ? '' : ','}${text.slice(at + 1)}`,
          mustFail: true,
          proto: true,
        });
      }
    }
  }
  const spec = json(base);
  // Specs that are well-formed JSON but bend the planner: zips and includes naming what is not there, reserved names.
  if (rich)
    for (const v of [
      { ...base, zip: [['variant', 'model']] },
      { ...base, axes: { variant: ['mlp'], model: ['mlp'] }, zip: [['variant', 'model']] },
      { ...base, variants: [{ label: 'a', set: {} }], include: [{ variant: {}, model: 'mlp' }] },
      { ...base, variants: [{ label: 'a', set: { 'model.__proto__': 1 } }] },
      { ...base, axes: { seed: [1, 2] } },
      { ...base, axes: { 'optimizer..lr': [0.1] } },
      { ...base, axes: { model: ['mlp', 'mlp'] } },
      { ...base, seeds: [1, 1] },
      { ...base, exclude: [{ nothing: 1 }] },
      { ...base, include: [{ model: 'mlp' }] },
      { ...base, zip: [['model', 'model']] },
      { ...base, table: { columns: ['a'], rows: [{ cells: ['x'], where: { nope: 'x' } }] } },
      { ...base, axes: { 'a.b.c.d.e.f.g.h.i': [1] } },
    ])
      out.push({ kind: 'body.semantic', body: json(v), mustFail: true });
  // Malformed JSON.
  for (const bad of [
    '',
    ' ',
    '{',
    '}',
    '{"name": }',
    "{'name': 'x'}",
    '{"name": "x",}',
    '[1, 2',
    'nul',
    'NaN',
    '{"a": 01}',
    '{"a": "\u0001"}',
    `{"a": "${'\u0000'}"}`,
    `\uFEFF${spec}`,
    spec.slice(0, Math.floor(spec.length / 2)),
    `${spec}${spec}`,
    `${spec}\u0000`,
    '{"a":"\\ud800"}',
    '{"a":"\\u0000"}',
    '{"\\u0000":1}',
    '{"a":"\\x00"}',
  ])
    out.push({ kind: 'body.malformed', body: bad, mustFail: true });
  // Duplicate keys: the last wins, as JSON.parse has it (valid).
  out.push({ kind: 'body.duplicate-keys', body: `{"name":"a",${spec.slice(1)}` });
  // Deep nesting: 2,000 objects, 10,000 arrays, unbalanced openers, just over and at the limit, brackets inside a string.
  const deepObj = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  const deepArr = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  for (const [kind, v] of [
    ['objects-2000', deepObj(2000)],
    ['arrays-10000', deepArr(10_000)],
    ['arrays-100000', deepArr(100_000)],
    ['unbalanced', '['.repeat(200_000)],
    ['just-over', deepObj(65)],
  ] as const) {
    out.push({ kind: `body.deep.${kind}`, body: v, mustFail: true });
    out.push({ kind: `body.deep.${kind}`, body: `${spec.slice(0, -1)},"base":${v}}`, mustFail: true });
  }
  out.push({ kind: 'body.deep.at-limit', body: `${spec.slice(0, -1)},"extra":${deepObj(60)}}`, mustFail: true });
  out.push({ kind: 'body.deep.in-string', body: json({ ...base, description: '[{'.repeat(5000) }) });
  // Huge arrays and strings (the body limit is 5 MiB).
  out.push({ kind: 'body.huge.array', body: json({ ...base, seeds: Array.from({ length: 200_000 }, (_, i) => i) }) });
  out.push({ kind: 'body.huge.array', body: json({ ...base, axes: { model: Array.from({ length: 100_000 }, () => 'mlp') } }) });
  out.push({ kind: 'body.huge.array', body: json({ ...base, exclude: Array.from({ length: 50_000 }, () => ({ model: 'mlp' })) }) });
  out.push({ kind: 'body.huge.string', body: json({ ...base, name: 'N'.repeat(1_000_000) }) });
  out.push({ kind: 'body.huge.string', body: json({ ...base, description: 'D'.repeat(4_900_000) }) });
  out.push({ kind: 'body.huge.keys', body: json({ ...base, base: Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i])) }) });
  out.push({ kind: 'body.too-large', body: json({ ...base, description: 'X'.repeat(6 * 1024 * 1024) }), mustFail: true });
  // Odd content types and encodings.
  const types: [string, string | Buffer, Record<string, string>, boolean][] = [
    ['text/plain', spec, { 'content-type': 'text/plain' }, false],
    ['form', 'name=x&seeds=0', { 'content-type': 'application/x-www-form-urlencoded' }, true],
    [
      'multipart',
      `--b\r\nContent-Disposition: form-data; name="spec"\r\n\r\n${spec}\r\n--b--\r\n`,
      { 'content-type': 'multipart/form-data; boundary=b' },
      true,
    ],
    ['utf-16', Buffer.from(spec, 'utf16le'), { 'content-type': 'application/json; charset=utf-16' }, true],
    ['utf-16-undeclared', Buffer.from(spec, 'utf16le'), { 'content-type': 'application/json' }, true],
    ['latin1', spec, { 'content-type': 'application/json; charset=iso-8859-1' }, true],
    ['gzip', gzipSync(spec), { 'content-type': 'application/json', 'content-encoding': 'gzip' }, true],
    ['deflate-claimed', spec, { 'content-type': 'application/json', 'content-encoding': 'deflate' }, true],
    ['br-claimed', spec, { 'content-type': 'application/json', 'content-encoding': 'br, gzip' }, true],
    ['vendor-json', spec, { 'content-type': 'application/vnd.api+json' }, true],
    ['xml', '<sweep/>', { 'content-type': 'application/xml' }, true],
    ['octet', spec, { 'content-type': 'application/octet-stream' }, true],
    ['no-type', spec, {}, true],
    ['upper-case', spec, { 'content-type': 'APPLICATION/JSON' }, false],
    ['bad-type', spec, { 'content-type': ';;;' }, true],
    ['bad-type', spec, { 'content-type': 'application/json; charset=' }, false],
    [
      'invalid-utf8',
      Buffer.concat([
        Buffer.from('{"name":"'),
        Buffer.from([0xff, 0xfe, 0xc0, 0xae]),
        Buffer.from(`",${spec.slice(1 + '"name":"hostile base",'.length)}`),
      ]),
      { 'content-type': 'application/json' },
      false,
    ],
    [
      'cesu-surrogate',
      Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(`",${spec.slice(1 + '"name":"hostile base",'.length)}`)]),
      { 'content-type': 'application/json' },
      false,
    ],
  ];
  for (const [kind, body, headers, mustFail] of types) out.push({ kind: `body.type.${kind}`, body, headers, mustFail });
  return out;
}

/** Index of the `{` that opens the object at `path` in JSON text made by JSON.stringify (no whitespace). */
function locateObject(text: string, path: (string | number)[]): number {
  if (path.length === 0) return 0;
  const value = JSON.parse(text) as unknown;
  // Mark the target with a unique key, stringify, and find the mark's object start.
  const mark = `__mark_${Math.random().toString(36).slice(2)}`;
  const target = path.reduce<unknown>((o, p) => (o as Record<string | number, unknown>)[p], value) as Record<string, unknown>;
  const entries = Object.entries(target);
  for (const k of Object.keys(target)) delete target[k];
  target[mark] = 1;
  for (const [k, v] of entries) target[k] = v;
  const marked = JSON.stringify(value);
  const at = marked.indexOf(`{"${mark}"`);
  // The marked text differs from `text` only after `at`, so the offset holds.
  return at;
}

/** A made-up UUID from the seed: an id no stored row has. */
function fakeUuid(rand: Rand): string {
  const hex = Array.from({ length: 32 }, () => rand.int(16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** Concrete path for a route with every parameter valid (ids of stored data, or made-up ones for mutating verbs). */
function paramValue(rand: Rand, route: RouteInfo, param: string, known: Known): string {
  const mutating = !['GET', 'HEAD'].includes(route.method);
  if (param === 'format') return 'svg';
  if (param === 'file') return 'nope.svg';
  if (param === 'artifactId') return '1';
  if (param === '*') return 'nope.js';
  if (param === 'id') {
    if (route.template.startsWith('/sweeps/')) return mutating && route.method !== 'PATCH' ? fakeUuid(rand) : known.sweepId;
    if (route.template.startsWith('/experiments/')) return known.trialId;
    return fakeUuid(rand);
  }
  return 'x';
}

function fill(rand: Rand, route: RouteInfo, known: Known, override: Record<string, string> = {}): string {
  return route.template.replace(
    /:([A-Za-z]+)|\*/g,
    (_m, name: string | undefined) => override[name ?? '*'] ?? paramValue(rand, route, name ?? '*', known),
  );
}

/** The seed of the sweep stored before the run: a PATCH that adds it again is refused, whatever else it holds. */
export const STORED_SEED = 7;

/** Keeps a body sent to a stored sweep from ever being a valid change: its seed is already in it, so PATCH refuses. */
function guardPatch(route: RouteInfo, body: string | Buffer): string | Buffer {
  if (route.method !== 'PATCH' || typeof body !== 'string') return body;
  try {
    const v = JSON.parse(body) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      // Spliced as text, so a prototype key in the body stays a key.
      const guard = `"seeds":[${STORED_SEED}]`;
      return body.trimStart().startsWith('{}') ? `{${guard}}` : body.replace(/^\s*\{/, `{${guard},`);
    }
  } catch {}
  return body;
}

/** A valid body for a route that takes one, to carry query and path attacks. */
function skeletonFor(route: RouteInfo): Record<string, unknown> {
  if (route.template === '/sweeps' && route.method === 'POST') return validSpec();
  if (route.template === '/sweeps/:id' && route.method === 'PATCH') return { seeds: [STORED_SEED], priority: 1 };
  if (route.template === '/keys' && route.method === 'POST') return { scope: 'read', name: 'hostile' };
  return {};
}

/** Raw requests Node's HTTP parser or the router refuses, or that bend HTTP itself. */
function rawAttacks(known: Known, auth: Record<string, string>): { kind: string; raw: Buffer; mustFail: boolean }[] {
  const h = Object.entries(auth)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const get = (path: string, extra = '') => Buffer.from(`GET ${path} HTTP/1.1\r\nHost: x\r\n${h}${extra}Connection: close\r\n\r\n`, 'latin1');
  const spec = JSON.stringify(validSpec());
  const post = (headers: string, body: string) =>
    Buffer.from(`POST /sweeps?dryRun=true HTTP/1.1\r\nHost: x\r\n${h}${headers}Connection: close\r\n\r\n${body}`, 'latin1');
  return [
    { kind: 'raw.headers-too-large', raw: get(`/sweeps/${known.sweepId}`, `X-Big: ${'h'.repeat(20_000)}\r\n`), mustFail: true },
    {
      kind: 'raw.many-headers',
      raw: get(`/sweeps/${known.sweepId}`, Array.from({ length: 3000 }, (_, i) => `X-H${i}: v\r\n`).join('')),
      mustFail: true,
    },
    { kind: 'raw.url-too-long', raw: get(`/sweeps/${'u'.repeat(20_000)}`), mustFail: true },
    { kind: 'raw.url-long', raw: get(`/sweeps?name=${'n'.repeat(12_000)}`), mustFail: true },
    {
      kind: 'raw.url-nul-byte',
      raw: Buffer.concat([Buffer.from('GET /sweeps/a'), Buffer.from([0]), Buffer.from(`b HTTP/1.1\r\nHost: x\r\n${h}Connection: close\r\n\r\n`)]),
      mustFail: true,
    },
    { kind: 'raw.url-utf8-bytes', raw: Buffer.from(`GET /sweeps/ünï HTTP/1.1\r\nHost: x\r\n${h}Connection: close\r\n\r\n`, 'utf8'), mustFail: true },
    { kind: 'raw.url-space', raw: get('/sweeps/a b'), mustFail: true },
    {
      kind: 'raw.header-nul',
      raw: Buffer.concat([Buffer.from(`GET /health HTTP/1.1\r\nHost: x\r\nX-A: a`), Buffer.from([0]), Buffer.from('b\r\nConnection: close\r\n\r\n')]),
      mustFail: true,
    },
    { kind: 'raw.header-no-colon', raw: get('/health', 'NoColonHere\r\n'), mustFail: true },
    { kind: 'raw.bare-lf', raw: Buffer.from(`GET /health HTTP/1.1\nHost: x\n\n`), mustFail: false },
    { kind: 'raw.garbage', raw: Buffer.from('\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003', 'latin1'), mustFail: true },
    { kind: 'raw.http09', raw: Buffer.from('GET /\r\n\r\n'), mustFail: false },
    { kind: 'raw.bad-version', raw: Buffer.from(`GET /health HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n`), mustFail: true },
    { kind: 'raw.bad-method', raw: Buffer.from(`BREW /sweeps HTTP/1.1\r\nHost: x\r\n${h}Connection: close\r\n\r\n`), mustFail: true },
    { kind: 'raw.content-length-negative', raw: post('Content-Type: application/json\r\nContent-Length: -1\r\n', spec), mustFail: true },
    { kind: 'raw.content-length-nan', raw: post('Content-Type: application/json\r\nContent-Length: abc\r\n', spec), mustFail: true },
    {
      kind: 'raw.content-length-twice',
      raw: post(`Content-Type: application/json\r\nContent-Length: ${spec.length}\r\nContent-Length: 3\r\n`, spec),
      mustFail: true,
    },
    {
      kind: 'raw.smuggling',
      raw: post(`Content-Type: application/json\r\nContent-Length: ${spec.length}\r\nTransfer-Encoding: chunked\r\n`, spec),
      mustFail: true,
    },
    {
      kind: 'raw.chunked-bad',
      raw: post('Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n', 'zz\r\n{}\r\n0\r\n\r\n'),
      mustFail: true,
    },
    {
      kind: 'raw.chunked-ok',
      raw: post('Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n', `${spec.length.toString(16)}\r\n${spec}\r\n0\r\n\r\n`),
      mustFail: false,
    },
    { kind: 'raw.content-length-short', raw: post('Content-Type: application/json\r\nContent-Length: 5\r\n', spec), mustFail: true },
    {
      kind: 'raw.expect-100',
      raw: post(`Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${spec.length}\r\n`, spec),
      mustFail: false,
    },
  ];
}

export interface GenerateOptions {
  routes: RouteInfo[];
  known: Known;
  /** Headers every request carries (the API key): raw requests put them in their bytes. */
  auth: Record<string, string>;
  /** Extra random requests past the enumerated ones, so the run reaches at least this many in all. */
  atLeast: number;
}

/** Every route × parameter × attack (sampled per route with the seed), then random combinations up to `atLeast`. */
export function generate(rand: Rand, o: GenerateOptions): HostileRequest[] {
  const out: HostileRequest[] = [];
  const ids = idAttacks(o.known);
  for (const route of o.routes) {
    const name = `${route.method} ${route.template}`;
    const skel = skeletonFor(route);
    const bodyOf = () => (route.body ? guardPatch(route, JSON.stringify(skel)) : undefined);
    const jsonType: Record<string, string> = route.body ? { 'content-type': 'application/json' } : {};
    // Path parameters: NUL and oversized ids always, a sample of the rest.
    for (const p of route.params) {
      const picks = [...ids.filter((a) => a.kind === 'id.nul' || a.kind === 'id.oversized'), ...rand.sample(ids, 8)];
      for (const a of picks) {
        out.push({
          route: name,
          kind: a.kind,
          method: route.method,
          path: fill(rand, route, o.known, { [p]: a.value }),
          headers: { ...jsonType },
          body: bodyOf(),
          mustFail: !!a.mustFail,
          proto: false,
        });
      }
    }
    // Query parameters, each with a sample of attacks (repeats, brackets and NUL always).
    const dry = route.template === '/sweeps' && route.method === 'POST' ? 'dryRun=true&' : '';
    for (const q of route.query) {
      const attacks = queryAttacks(q.name, q);
      const picks = [...attacks.filter((a) => /repeat|brackets|nul/.test(a.kind)).slice(0, 4), ...rand.sample(attacks, 7)];
      for (const a of picks) {
        const qs = q.name === 'dryRun' ? a.qs : `${dry}${a.qs}`;
        out.push({
          route: name,
          kind: a.kind,
          method: route.method,
          path: `${fill(rand, route, o.known)}?${qs}`,
          headers: { ...jsonType },
          body: bodyOf(),
          mustFail: !!a.mustFail,
          proto: false,
        });
      }
    }
    for (const a of rand.sample(ROUTE_QUERY_ATTACKS, route.query.length ? 5 : 3)) {
      // A route without query parameters has no schema to refuse an unknown one with: only the hook's refusals must fail.
      const mustFail = !!a.mustFail && (route.query.length > 0 || /proto|nul-name/.test(a.kind));
      out.push({
        route: name,
        kind: a.kind,
        method: route.method,
        path: `${fill(rand, route, o.known)}?${dry}${a.qs}`,
        headers: { ...jsonType },
        body: bodyOf(),
        mustFail,
        proto: !!a.proto,
      });
    }
    // Bodies: the routes that take one get the whole catalogue; the others a few (a body where none is expected).
    if (route.body) {
      for (const b of bodyAttacks(rand, skel, route.template === '/sweeps' && route.method === 'POST')) {
        const real = route.template === '/sweeps' && route.method === 'POST' && rand.chance(0.5);
        out.push({
          route: name,
          kind: b.kind,
          method: route.method,
          path: `${fill(rand, route, o.known)}${route.template === '/sweeps' && route.method === 'POST' && !real ? '?dryRun=true' : ''}`,
          headers: b.headers ?? { 'content-type': 'application/json' },
          body: guardPatch(route, b.body),
          mustFail: !!b.mustFail,
          proto: !!b.proto,
        });
      }
    } else if (!['GET', 'HEAD'].includes(route.method)) {
      for (const b of rand.sample(bodyAttacks(rand, {}, false), 12)) {
        out.push({
          route: name,
          kind: b.kind,
          method: route.method,
          path: fill(rand, route, o.known),
          headers: b.headers ?? { 'content-type': 'application/json' },
          body: b.body,
          mustFail: false,
          proto: !!b.proto,
        });
      }
    }
    // Headers: a hostile Idempotency-Key and Last-Event-ID where they are read, an Accept nobody serves.
    const headerValues = ['x'.repeat(201), 'x'.repeat(8000), "' OR 1=1 --", '../../etc/passwd', '-1', '99999999999999999999999'];
    if (route.template === '/sweeps' && route.method === 'POST')
      for (const v of headerValues)
        out.push({
          route: name,
          kind: 'header.idempotency-key',
          method: 'POST',
          path: '/sweeps?dryRun=true',
          headers: { 'content-type': 'application/json', 'idempotency-key': v },
          body: JSON.stringify(skel),
          mustFail: false,
          proto: false,
        });
    if (route.template.endsWith('/events'))
      for (const v of headerValues)
        out.push({
          route: name,
          kind: 'header.last-event-id',
          method: 'GET',
          path: fill(rand, route, o.known),
          headers: { 'last-event-id': v },
          mustFail: false,
          proto: false,
        });
    out.push({
      route: name,
      kind: 'header.accept',
      method: route.method,
      path: fill(rand, route, o.known),
      headers: { ...jsonType, accept: 'application/x-nothing' },
      body: bodyOf(),
      mustFail: false,
      proto: false,
    });
  }
  for (const r of rawAttacks(o.known, o.auth))
    out.push({ route: 'raw', kind: r.kind, method: 'RAW', path: '', headers: {}, raw: r.raw, mustFail: r.mustFail, proto: false });
  // Unrouted paths: the not-found handler.
  for (const p of [
    '/nope',
    `/${'z'.repeat(5000)}`,
    '/%00',
    '/sweeps/a/b/c/d',
    '/..%2F..%2Fetc%2Fpasswd',
    '/docs/../../etc/passwd',
    '/assets/..%2F..%2Fpackage.json',
    '/assets/%00.js',
  ])
    out.push({ route: 'GET *', kind: 'route.unknown', method: 'GET', path: p, headers: {}, mustFail: true, proto: false });
  // Random combinations until the run is big enough: a random route, id attack and query attack at once.
  while (out.length < o.atLeast) {
    const route = rand.pick(o.routes);
    const override = Object.fromEntries(route.params.map((p) => [p, rand.chance(0.5) ? rand.pick(ids).value : paramValue(rand, route, p, o.known)]));
    const qs = route.query.length
      ? rand.pick(queryAttacks(rand.pick(route.query).name, rand.pick(route.query))).qs
      : rand.pick(ROUTE_QUERY_ATTACKS).qs;
    out.push({
      route: `${route.method} ${route.template}`,
      kind: 'random.combined',
      method: route.method,
      path: `${fill(rand, route, o.known, override)}?${route.template === '/sweeps' && route.method === 'POST' ? 'dryRun=true&' : ''}${qs}`,
      headers: route.body ? { 'content-type': 'application/json' } : {},
      body: route.body ? guardPatch(route, JSON.stringify(skeletonFor(route))) : undefined,
      mustFail: false,
      proto: /proto|constructor/.test(qs),
    });
  }
  // A seeded shuffle, so route families interleave with the control requests.
  return rand.sample(out, out.length);
}
