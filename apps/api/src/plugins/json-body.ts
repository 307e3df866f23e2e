// The application/json body parser: UTF-8 only, uncompressed, nesting depth checked on the raw text before JSON.parse
// (so nothing recursive ever sees a 10,000-level body), then every value checked without recursion: no prototype keys,
// no NUL, no lone surrogates, no array over 10,000 items or object over 1,000 keys. Each refusal is a 400 in the API's
// error shape naming the limit or the field's path.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';

/** Deepest nesting of arrays and objects a body may have (the deepest valid sweep spec nests about 8). */
export const MAX_JSON_DEPTH = 64;

/** Longest array and most keys of one object a body may hold (the API's largest lists take 1,000; base about 20 keys). */
export const MAX_JSON_ARRAY_ITEMS = 10_000;
export const MAX_JSON_OBJECT_KEYS = 1_000;

/** Keys that would reach an object's prototype if any code ever assigned through them. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A NUL character or a UTF-16 surrogate without its pair. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point
const BAD_CHAR = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether JSON text nests arrays and objects deeper than `limit`: one pass over the characters with a counter (brackets
 * inside strings do not count), no recursion and no parse, so it costs the same for any depth.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Why a string cannot be stored, or undefined when it can. */
export function badStringReason(s: string): string | undefined {
  const m = BAD_CHAR.exec(s);
  if (!m) return undefined;
  return m[0] === '\u0000'
    ? 'holds a NUL character (\\u0000), which cannot be stored'
    : `holds a lone UTF-16 surrogate (\\u${m[0].charCodeAt(0).toString(16)}), which is not valid Unicode`;
}

export interface StringProblem {
  code: 'API_ERR_FORBIDDEN_KEY' | 'API_ERR_INVALID_STRING' | 'API_ERR_TOO_MANY_ITEMS';
  /** Dotted path of the field (`axes.model.0.label`); a bad key is written escaped. */
  path: string;
  message: string;
}

/** A key as a path segment: as is, or JSON-escaped when it holds a character that cannot be shown. */
function segment(key: string | number): string {
  return typeof key === 'string' && BAD_CHAR.test(key) ? JSON.stringify(key).slice(1, -1) : String(key);
}

/**
 * The first prototype key, NUL or lone surrogate in a parsed JSON value (keys and strings at every level), walking with
 * an explicit stack; each pending value keeps only its key and its parent, so the path is built once, for the answer.
 */
export function findStringProblem(value: unknown, prefix: (string | number)[] = []): StringProblem | undefined {
  interface Node {
    key: string | number;
    parent: Node | undefined;
  }
  const pathOf = (n: Node | undefined): string => {
    const parts: (string | number)[] = [];
    for (let p = n; p; p = p.parent) parts.push(p.key);
    return [...prefix, ...parts.reverse()].map(segment).join('.');
  };
  const stack: { v: unknown; node: Node | undefined }[] = [{ v: value, node: undefined }];
  while (stack.length) {
    const { v, node } = stack.pop()!;
    if (typeof v === 'string') {
      const why = badStringReason(v);
      if (why) return { code: 'API_ERR_INVALID_STRING', path: pathOf(node), message: why };
    } else if (Array.isArray(v)) {
      if (v.length > MAX_JSON_ARRAY_ITEMS)
        return { code: 'API_ERR_TOO_MANY_ITEMS', path: pathOf(node), message: `an array has ${v.length} items (limit: ${MAX_JSON_ARRAY_ITEMS})` };
      for (let i = v.length - 1; i >= 0; i--)
        if ((v[i] !== null && typeof v[i] === 'object') || typeof v[i] === 'string') stack.push({ v: v[i], node: { key: i, parent: node } });
    } else if (v && typeof v === 'object') {
      const keys = Object.keys(v);
      if (keys.length > MAX_JSON_OBJECT_KEYS)
        return { code: 'API_ERR_TOO_MANY_ITEMS', path: pathOf(node), message: `an object has ${keys.length} keys (limit: ${MAX_JSON_OBJECT_KEYS})` };
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        const at = { key: k, parent: node };
        if (FORBIDDEN_KEYS.has(k))
          return { code: 'API_ERR_FORBIDDEN_KEY', path: pathOf(at), message: `'${k}' cannot be a key (it names an object's prototype)` };
        const why = badStringReason(k);
        if (why) return { code: 'API_ERR_INVALID_STRING', path: pathOf(at), message: `the key ${why}` };
        const x = (v as Record<string, unknown>)[k];
        if ((x !== null && typeof x === 'object') || typeof x === 'string') stack.push({ v: x, node: at });
      }
    }
  }
  return undefined;
}

/** The problem as the API's error, its path prefixed with where it was found (`querystring`, `params`; none for a body). */
export function stringProblemError(p: StringProblem): ApiError {
  return new ApiError(p.code, p.path ? `${p.path}: ${p.message}` : p.message, [{ path: p.path, message: p.message }]);
}

/** Parses a JSON body, or throws the ApiError that says why it is refused. */
export function parseJsonBody(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  if (text.trim() === '') throw new ApiError('API_ERR_INVALID_JSON', 'the body is empty; send a JSON value or no Content-Type');
  if (nestsDeeperThan(text, maxDepth))
    throw new ApiError('API_ERR_TOO_DEEP', `the body nests arrays and objects more than ${maxDepth} levels deep (limit: ${maxDepth})`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ApiError('API_ERR_INVALID_JSON', `the body is not valid JSON: ${(err as Error).message}`);
  }
  const problem = findStringProblem(value);
  if (problem) throw stringProblemError(problem);
  return value;
}

/** Each parsed request's body text, for `rawBodyJson` (the body as sent, parsed again only when a route asks). */
const bodyTexts = new WeakMap<FastifyRequest, string>();

/** The JSON text of a request's body, when this parser read it. */
export function jsonBodyText(request: FastifyRequest): string | undefined {
  return bodyTexts.get(request);
}

/** Refuses compressed bodies and charsets other than UTF-8 before the body is read as text. */
function checkEncoding(request: FastifyRequest): void {
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity')
    throw new ApiError('API_ERR_UNSUPPORTED_MEDIA_TYPE', `Content-Encoding '${encoding.slice(0, 50)}' is not supported: send the body uncompressed`);
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    throw new ApiError('API_ERR_UNSUPPORTED_MEDIA_TYPE', `charset '${charset.slice(0, 50)}' is not supported: JSON bodies are UTF-8`);
}

/** Replaces Fastify's JSON parser with the checked one. Fastify's bodyLimit still applies (413 past it). */
export function registerJsonBody(app: FastifyInstance, o: { maxDepth?: number } = {}): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    try {
      checkEncoding(request);
      const value = parseJsonBody(body as string, o.maxDepth);
      bodyTexts.set(request, body as string);
      done(null, value);
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
