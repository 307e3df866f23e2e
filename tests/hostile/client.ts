// The suite's HTTP client: node:http for requests HTTP allows (any bytes as body, any header), a raw socket for those
// it does not. Each answer comes back with its status, headers, body (capped) and time; a stream (SSE) counts as
// answered when its headers arrive. Nothing here throws on a refused request: a 4xx is an answer like any other.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

export interface Answer {
  /** 0: no answer (connection refused or reset before a status line, or timed out). */
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  ms: number;
  /** Why there was no answer. */
  error?: string;
}

/** Most of a body kept for checks and reports. */
const BODY_CAP = 64 * 1024;

export interface Sendable {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** One request on a fresh connection; resolves with the answer or, after `timeoutMs`, with status 0. */
export function send(base: URL, r: Sendable, timeoutMs = 5_000): Promise<Answer> {
  const t0 = performance.now();
  return new Promise<Answer>((resolve) => {
    let done = false;
    const finish = (a: Omit<Answer, 'ms'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...a, ms: performance.now() - t0 });
    };
    let req: ReturnType<typeof httpRequest>;
    try {
      req = httpRequest({
        host: base.hostname,
        port: base.port,
        method: r.method,
        path: r.path,
        headers: { ...r.headers, ...(r.body !== undefined ? { 'content-length': String(Buffer.byteLength(r.body)) } : {}) },
        agent: false,
      });
    } catch (err) {
      // Node refuses to send it (a character HTTP forbids): not the server's answer; the caller sends it raw instead.
      finish({ status: -1, headers: {}, body: '', error: (err as Error).message });
      return;
    }
    const timer = setTimeout(() => {
      req.destroy();
      finish({ status: 0, headers: {}, body: '', error: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    req.on('response', (res) => {
      if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        finish({ status: res.statusCode!, headers: res.headers, body: '' });
        res.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < BODY_CAP) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => finish({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) =>
        finish({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), error: err.message }),
      );
    });
    // The server may answer (413) and close before the whole body is written: the answer counts, the write error does not.
    req.on('error', (err) => finish({ status: 0, headers: {}, body: '', error: err.message }));
    if (r.body !== undefined) req.end(r.body);
    else req.end();
  });
}

/** Raw bytes on a fresh socket; the first complete answer that is not `100 Continue` is parsed. */
export function sendRaw(base: URL, bytes: Buffer, timeoutMs = 5_000): Promise<Answer> {
  const t0 = performance.now();
  return new Promise<Answer>((resolve) => {
    let buf = Buffer.alloc(0);
    let done = false;
    const socket = connect(Number(base.port), base.hostname);
    const finish = (a: Omit<Answer, 'ms'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...a, ms: performance.now() - t0 });
    };
    const timer = setTimeout(() => finish({ ...parse(buf), error: `no complete answer within ${timeoutMs} ms` }), timeoutMs);
    const tryParse = (final: boolean) => {
      const a = parse(buf);
      if (a.complete || (final && a.status > 0)) finish(a);
      else if (final) finish({ status: 0, headers: {}, body: '', error: 'connection closed without an answer' });
    };
    socket.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      tryParse(false);
    });
    socket.on('end', () => tryParse(true));
    socket.on('close', () => tryParse(true));
    socket.on('error', () => tryParse(true));
    socket.write(bytes);
  });
}

function parse(buf: Buffer): { status: number; headers: Record<string, string>; body: string; complete: boolean } {
  let text = buf.toString('latin1');
  // Skip interim answers (100 Continue).
  while (/^HTTP\/1\.1 1\d\d /.test(text) && text.includes('\r\n\r\n')) text = text.slice(text.indexOf('\r\n\r\n') + 4);
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return { status: 0, headers: {}, body: '', complete: false };
  const [line, ...lines] = text.slice(0, end).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(line ?? '')?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const body = Buffer.from(text.slice(end + 4), 'latin1');
  const length = headers['content-length'] !== undefined ? Number(headers['content-length']) : undefined;
  return { status, headers, body: body.toString('utf8'), complete: length !== undefined && body.length >= length };
}
