// The API's pino options: the shared redaction (authorization and cookie headers, URL passwords, bearer tokens) plus
// the request line's own credentials: a `user:password@` part and query parameters named like secrets (`?token=`).
import { LOG_REDACT_PATHS, redactingLogOptions, redactSecrets } from '@ablate/spec';

const CENSOR = '***';

/** Query parameter names that carry credentials: token, api_key, apiKey, access_token, password, secret, sig… */
const SECRET_PARAM = /(?:^|[-_.])(?:key|token|secret|password|passwd|pwd|auth|authorization|credentials?|sig|signature|session)$|apikey|accesstoken/i;

/** A request URL fit for a log line: credentials in it (also percent-encoded ones) replaced by `***`, the rest as sent. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const head = redactSecrets(q === -1 ? url : url.slice(0, q));
  if (q === -1) return head;
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return redactSecrets(pair);
      const name = pair.slice(0, eq);
      const value = decode(pair.slice(eq + 1));
      if (SECRET_PARAM.test(decode(name))) return `${name}=${CENSOR}`;
      const redacted = redactSecrets(value);
      return redacted === value ? redactSecrets(pair) : `${name}=${encodeURIComponent(redacted)}`;
    })
    .join('&');
  return `${head}?${query}`;
}

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** Options for Fastify's `logger` (spread beside level and base). */
export const apiLogOptions = {
  redact: {
    paths: [...LOG_REDACT_PATHS, 'req.headers["x-api-key"]', 'req.headers["proxy-authorization"]', 'res.headers["set-cookie"]'],
    censor: CENSOR,
  },
  serializers: {
    ...redactingLogOptions.serializers,
    // Fastify's request fields with the URL redacted; anything else logged under `req` keeps its shape (headers then
    // go through the redact paths above).
    req: (req: LoggedRequest) =>
      req && typeof req === 'object' && 'socket' in req
        ? { method: req.method, url: redactUrl(String(req.url)), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort }
        : { ...req, ...(typeof req?.url === 'string' ? { url: redactUrl(req.url) } : {}) },
  },
};
