// The proxy's middlewares, registered in order by createProxy: Hono's own where they hold the guarantee, ours where not.
import type {Context, MiddlewareHandler} from 'hono';
import {cors} from 'hono/cors';
import {Refusal} from './errors.ts';
import {ALLOWED_HEADERS, PREFLIGHT_MAX_AGE, readCappedBody} from './http.ts';
import {requestIdFor, type Logger, type RequestLog} from './log.ts';

/** What the middlewares hand on to the handlers through the context (`c.get`). */
export interface ProxyVariables {
  /** This request's log entry; handlers add to it, requestLog writes it once the response is final. */
  log: RequestLog;
  requestId: string;
  /**
   * The answer's headers, gathered by the middlewares before the handler runs (`securityHeaders` makes it):
   * `answer()` builds the response with them in one go, and `securityHeaders` sets them on any other response.
   */
  headers: Record<string, string>;
  /** The response `answer()` built, already carrying `headers`. */
  answer: Response | undefined;
}

/** What a mount proves about the connection's own origin (see ConnectionInfo.origins in proxy.ts). */
export interface OwnOrigins {
  origins?: readonly string[];
}

type Middleware = MiddlewareHandler<{Bindings: {connection?: OwnOrigins}; Variables: ProxyVariables}>;

/** Whether a browser origin may call the proxy (`null`: no Origin header, not a browser page). */
export type OriginCheck = (origin: string | null, request: Request, connection?: OwnOrigins) => boolean;

/**
 * One log entry per request, written when the response is final: register it first, then `requestId()`,
 * whose id it logs.
 * @example
 * app.use(requestLog({logger: jsonLinesLogger(), now: Date.now}));
 */
export function requestLog(options: {logger: Logger; now: () => number}): Middleware {
  const {logger, now} = options;
  return async function requestLog(c, next) {
    const started = now();
    const log: RequestLog = {
      time: new Date(started).toISOString(),
      requestId: '',
      method: c.req.method,
      // As sent (percent-encoded), as the log has always had it; Hono's c.req.path is decoded.
      path: pathOf(c.req.url),
      status: 0,
      ms: 0,
      documents: [],
      upstream: {calls: 0, attempts: 0, coalesced: 0, ms: 0},
    };
    c.set('log', log);
    await next();
    log.requestId = c.get('requestId');
    log.status = c.res.status;
    log.ms = now() - started;
    if (!log.documents?.length) delete log.documents;
    if (!log.upstream?.calls && !log.upstream?.coalesced) delete log.upstream;
    logger(log);
  };
}

/**
 * The path of an absolute URL as the request's URL holds it (already normalized, percent-encoded as sent):
 * what `new URL(url).pathname` gives, without parsing the whole URL on every request.
 */
export function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('://') + 3);
  const end = url.search(/[?#]/);
  if (start < 0 || (end >= 0 && end < start)) return '/';
  return url.slice(start, end < 0 ? undefined : end);
}

/**
 * `X-Request-Id`: the caller's when it is 1–64 of `A-Za-z0-9._:-`, otherwise a new UUID.
 *
 * Ours, not Hono's `requestId()`: Hono's keeps ids of `\w`, `-` and `=`, so it would replace the dots and
 * colons of trace ids that the README promises to keep, and keep `=` that it promises to replace.
 */
export function requestId(): Middleware {
  return function requestId(c, next) {
    const id = requestIdFor(c.req.raw);
    c.set('requestId', id);
    // Among the answer's headers, so it holds whichever way the response is made (see securityHeaders).
    c.get('headers')['x-request-id'] = id;
    return next();
  };
}

/**
 * Headers on every response: nothing to sniff, frame or leak through a Referer. The values Hono's
 * `secureHeaders` gave the proxy, written out once: Hono's sets them one by one on every finished
 * response, which on `@hono/node-server` turns the answer's plain header object into a `Headers`.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

/**
 * Starts the answer's headers with the security headers; the middlewares after it add theirs before the
 * handler runs. An answer made by `answer()` carries them already; any other (cors()'s preflight, a
 * refused preflight) gets them set on its headers here. Register it before `requestId()` and `browserCors()`.
 */
export function securityHeaders(): Middleware {
  return async function securityHeaders(c, next) {
    const headers = {...SECURITY_HEADERS};
    c.set('headers', headers);
    await next();
    if (c.res === c.get('answer')) return;
    const final = c.res.headers;
    for (const name in headers) {
      if (name !== 'vary') final.set(name, headers[name]!);
      // Every answer varies by Origin, once.
      else if (!/\borigin\b/i.test(final.get('vary') ?? '')) final.append('vary', headers[name]!);
    }
  };
}

/**
 * The response: `body` with the answer's headers gathered by the middlewares and `extra`, built in one go
 * (a plain header object, which `@hono/node-server` writes without a `Headers`).
 */
export function answer<E extends {Variables: ProxyVariables}>(
  context: Context<E>,
  body: string,
  status: number,
  extra?: Record<string, string>,
): Response {
  // Any environment that carries the proxy's variables (the app's adds its bindings).
  const c = context as unknown as Context<{Variables: ProxyVariables}>;
  const response = new Response(body, {
    status,
    headers: {...c.get('headers'), 'content-type': 'application/json', ...extra},
  });
  c.set('answer', response);
  return response;
}

/**
 * Lets through to `cors()` only the preflights it should answer: for `path`, from an allowed origin.
 * From no origin or another one: 403. For any other path: 404, like any other unknown route.
 *
 * Ours, in front of Hono's `cors()`: Hono's answers every OPTIONS request with 204, on every path and for
 * every origin, and leaves the refusal to the browser; the proxy refuses outright, as it does the POST.
 */
export function guardPreflight(options: {path: string; allowed: OriginCheck}): Middleware {
  // Not async: every POST passes through here, and an async function would cost it a promise for nothing.
  return function guardPreflight(c, next) {
    return c.req.method === 'OPTIONS' ? refusePreflight(c, next) : next();
  };

  async function refusePreflight(c: Parameters<Middleware>[0], next: Parameters<Middleware>[1]) {
    const origin = c.req.header('origin');
    const here = c.req.path === options.path;
    if (here && origin !== undefined && options.allowed(origin, c.req.raw, c.env?.connection)) return next();
    if (here) c.get('log').reason = 'origin_not_allowed';
    const refused = here ? c.body(null, 403) : await c.notFound();
    // cors() does not see these answers, and every answer varies by Origin.
    refused.headers.append('vary', 'Origin');
    return refused;
  }
}

/**
 * CORS (Hono's `cors`): an allowed origin is echoed, every answer varies by Origin, a preflight allows POST
 * with the shopper header and may be cached for two hours.
 */
export function browserCors(allowed: OriginCheck): Middleware {
  const preflight = cors({
    origin: (origin, c) => (origin && allowed(origin, c.req.raw, c.env?.connection) ? origin : null),
    allowMethods: ['POST'],
    // One entry: Hono joins entries with ',', and the documented value is ALLOWED_HEADERS as written.
    allowHeaders: [ALLOWED_HEADERS],
    maxAge: PREFLIGHT_MAX_AGE,
  });
  return function browserCors(c, next) {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    // The same headers cors() gives other requests, among the answer's headers: cors() sets Vary through
    // c.header() on the finished response, which on @hono/node-server turns it back into a web stream.
    const headers = c.get('headers');
    const origin = c.req.header('origin');
    if (origin && allowed(origin, c.req.raw, c.env?.connection))
      headers['access-control-allow-origin'] = origin;
    headers.vary = 'Origin';
    return next();
  };
}

// The route's own steps follow: plain functions that `createProxy`'s POST handler calls in order, so a
// step that needs no await costs no promise (a middleware costs two and a continuation per request).

/** 403 for a request from a browser origin that may not call the proxy, before anything else is read. */
export function refuseForeignOrigin(allowed: OriginCheck, request: Request, connection?: OwnOrigins): void {
  if (!allowed(request.headers.get('origin'), request, connection))
    throw new Refusal(403, 'invalid_request', 'origin_not_allowed');
}

/** 415 unless the body is JSON: only a JSON body needs a CORS preflight, so a cross-site form never gets through (CSRF). */
export function requireJson(request: Request): void {
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') throw new Refusal(415, 'invalid_request', 'unsupported_media_type');
}

/**
 * The body as UTF-8 text, or 413 as soon as it passes `maxBytes`; the bytes read go to the log.
 *
 * Ours, not Hono's `bodyLimit()`: Hono's cannot tell the log how many bytes it read before refusing
 * (`bodyBytes`), leaves the rest of a refused stream open instead of cancelling it, trusts a declared
 * Content-Length without counting what follows, and lets through a Content-Length that is not a number.
 */
export function bodyCap(request: Request, maxBytes: number, log: RequestLog): Promise<string> {
  return readCappedBody(request, maxBytes, (bytes) => (log.bodyBytes = bytes));
}
