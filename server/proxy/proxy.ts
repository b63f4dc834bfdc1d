// createProxy: the merchant's gateway from the browser to the Buy with Prime API, as a fetch handler.
import {Hono} from 'hono';
import {MAX_BATCH, SHOPPER_TOKEN_HEADER, type ErrorCode} from '../../src/api/protocol.ts';
import {DOCUMENTS, type PersistedDocument} from '../operations/documents.ts';
import {
  browserError,
  codeForUpstreamError,
  Refusal,
  type BrowserError,
  type RefusalReason,
  type UpstreamError,
} from './errors.ts';
import {
  ALLOWED_HEADERS,
  cacheControl,
  clientIpFrom,
  corsHeaders,
  normalizeIp,
  originAllowed,
  PREFLIGHT_MAX_AGE,
  readCappedBody,
  SECURITY_HEADERS,
} from './http.ts';
import {requestIdFor, silentLogger, type Logger, type RequestLog} from './log.ts';
import {createRateLimiter, type RateLimiter} from './rate-limit.ts';
import {createTokenSource, type TokenStore} from './token.ts';
import {
  createCircuitBreaker,
  createUpstream,
  type CircuitBreaker,
  type Timers,
  type UpstreamResult,
} from './upstream.ts';
import {
  checkIdentity,
  DOCUMENT_RULES,
  identityFromHeader,
  InvalidRequest,
  jsonDepth,
  MAX_JSON_DEPTH,
  type IdentityTokenInput,
} from './validate.ts';

export type {IdentityTokenInput} from './validate.ts';

export interface ProxyOptions {
  /** Upstream GraphQL endpoint, e.g. https://api.buywithprime.amazon.com/graphql. */
  apiUrl: string;
  /** OAuth2 token endpoint, e.g. https://api.buywithprime.amazon.com/token. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  targetId: string;
  apiVersion?: string;
  /** How the proxy reaches the upstream and the token endpoint (tests and in-process sandboxes inject one). */
  fetch?: typeof fetch;
  /** Upstream deadline per call, retries included, in ms (default 3000). */
  timeoutMs?: number;
  /** Upstream attempts per call, the first included (default 3). */
  maxAttempts?: number;
  /** Most documents in one batched request (default 50). */
  maxBatch?: number;
  /** Largest request body, in bytes (default 16 KB). */
  maxBodyBytes?: number;
  /** Origins allowed to call the proxy from a browser, exactly (`https://shop.example`); its own origin always is. */
  allowedOrigins?: readonly string[];
  /** Proxies in front of this one whose X-Forwarded-For entries are trusted (default 0: the connection's peer). */
  trustedProxies?: number;
  /** The client IP as the platform knows it, e.g. `(r) => r.headers.get('cf-connecting-ip')` on Cloudflare. */
  getClientIp?: (request: Request) => string | null | undefined;
  /** The shopper identity from the merchant's own session; when it returns one, it wins over the header. */
  shopperIdentity?: (
    request: Request,
  ) => IdentityTokenInput | undefined | Promise<IdentityTokenInput | undefined>;
  /** Where the access token is kept; share one between instances (default: this process's memory). */
  tokenStore?: TokenStore;
  /** Per-IP limiter, each batch item costing one (default 600 items a minute per IP); false turns it off. */
  rateLimiter?: RateLimiter | false;
  /** Upstream circuit breaker (default: opens after 5 consecutive failures for 10 s); false turns it off. */
  breaker?: CircuitBreaker | false;
  /** Request logs, one entry per request (default: none; main.ts logs JSON lines to stdout). */
  logger?: Logger;
  /** Longest Cache-Control max-age of an anonymous answer, in s (default 30; never past an expiresAt). */
  maxAgeSeconds?: number;
  /** The persisted documents by id (default: server/operations). */
  documents?: ReadonlyMap<string, PersistedDocument>;
  now?: () => number;
  random?: () => number;
  /** The clock behind the upstream deadline and retry backoff (default: the real one); tests pass a manual one. */
  timers?: Timers;
}

/** What the platform knows about the connection that the Request does not carry. */
export interface ConnectionInfo {
  clientIp?: string;
}

export type ProxyHandler = (request: Request, connection?: ConnectionInfo) => Promise<Response>;

export const GRAPHQL_PATH = '/bwp/graphql';
export const HEALTH_PATH = '/bwp/health';
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

interface OperationResult {
  data?: unknown;
  errors?: BrowserError[];
}

interface RequestContext {
  connection?: ConnectionInfo;
  log: RequestLog;
}

const failure = (code: ErrorCode, reason?: RefusalReason): OperationResult => ({
  data: null,
  errors: [browserError(code, {reason})],
});

const FAILURE_CODE: Record<NonNullable<UpstreamResult['failure']>, [ErrorCode, RefusalReason]> = {
  timeout: ['unavailable', 'upstream_timeout'],
  failed: ['unavailable', 'upstream_failed'],
  throttled: ['rate_limited', 'rate_limited'],
  circuit_open: ['unavailable', 'circuit_open'],
  token_unavailable: ['unavailable', 'token_unavailable'],
};

/**
 * The proxy: persisted documents only, server-owned variables, a cached access token, a guarded upstream.
 * @example
 * const proxy = createProxy({apiUrl, tokenUrl, clientId, clientSecret, targetId, allowedOrigins: ['https://shop.example']});
 * serve({fetch: (request, env) => proxy(request, {clientIp: env.incoming.socket.remoteAddress})});
 */
export function createProxy(options: ProxyOptions): ProxyHandler {
  const upstreamFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const now = options.now ?? Date.now;
  const maxBatch = options.maxBatch ?? MAX_BATCH;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const allowedOrigins = new Set(options.allowedOrigins ?? []);
  const trustedProxies = options.trustedProxies ?? 0;
  const documents = options.documents ?? DOCUMENTS;
  const logger = options.logger ?? silentLogger;
  const maxAgeSeconds = options.maxAgeSeconds ?? 30;
  const rateLimiter =
    options.rateLimiter === false ? undefined : (options.rateLimiter ?? createRateLimiter());
  const breaker =
    options.breaker === false ? undefined : (options.breaker ?? createCircuitBreaker({now: options.now}));
  const tokens = createTokenSource({
    tokenUrl: options.tokenUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    fetch: upstreamFetch,
    store: options.tokenStore,
    now: options.now,
  });
  const upstream = createUpstream({
    apiUrl: options.apiUrl,
    targetId: options.targetId,
    apiVersion: options.apiVersion,
    fetch: upstreamFetch,
    tokens,
    timeoutMs: options.timeoutMs,
    maxAttempts: options.maxAttempts,
    random: options.random,
    breaker,
    timers: options.timers,
  });

  function clientIp(request: Request, connection?: ConnectionInfo): string | undefined {
    if (options.getClientIp) return normalizeIp(options.getClientIp(request) ?? undefined);
    return clientIpFrom(request, connection?.clientIp, trustedProxies);
  }

  async function identityFor(request: Request): Promise<IdentityTokenInput | undefined> {
    try {
      const fromHook = options.shopperIdentity ? await options.shopperIdentity(request) : undefined;
      if (fromHook !== undefined) return checkIdentity(fromHook);
      const header = request.headers.get(SHOPPER_TOKEN_HEADER);
      return header === null ? undefined : identityFromHeader(header);
    } catch (error) {
      if (error instanceof InvalidRequest) throw new Refusal(400, 'invalid_request', 'invalid_shopper_token');
      throw new Refusal(503, 'unavailable', 'identity_unavailable');
    }
  }

  async function runOperation(
    operation: unknown,
    ip: string | undefined,
    identity: IdentityTokenInput | undefined,
    ctx: RequestContext,
  ): Promise<OperationResult> {
    if (typeof operation !== 'object' || operation === null || Array.isArray(operation))
      return failure('invalid_request', 'invalid_variables');
    const op = operation as Record<string, unknown>;
    // Raw GraphQL (a query, a mutation, an automatic persisted query hash) is never forwarded.
    if ('query' in op || 'extensions' in op || 'operationName' in op)
      return failure('invalid_request', 'query_not_allowed');
    if (Object.keys(op).some((key) => key !== 'documentId' && key !== 'variables'))
      return failure('invalid_request', 'invalid_variables');
    const id = typeof op.documentId === 'string' ? op.documentId : undefined;
    const document = id === undefined ? undefined : documents.get(id);
    const rules = id === undefined ? undefined : DOCUMENT_RULES.get(id);
    if (!document || !rules) return failure('invalid_request', 'unknown_document');
    ctx.log.documents!.push(document.id);

    let variables: Record<string, unknown>;
    try {
      variables = rules.variables(op.variables);
    } catch (error) {
      if (!(error instanceof InvalidRequest)) throw error;
      return {
        data: null,
        errors: [
          browserError('invalid_request', {
            reason: 'invalid_variables',
            field: error.field,
            lineIndex: error.lineIndex,
          }),
        ],
      };
    }
    // Server-owned variables: only the proxy sets them.
    if (rules.ipLocation) variables.location = ip ? {ipAddress: ip} : {};
    if (identity) variables.shopperIdentity = identity;

    const result = await upstream.call(document, variables);
    const stats = ctx.log.upstream!;
    if (result.coalesced) stats.coalesced++;
    else if (result.attempts > 0) stats.calls++;
    if (!result.coalesced) stats.attempts += result.attempts;
    stats.ms = Math.max(stats.ms, result.ms);
    if (result.failure) {
      const [code, reason] = FAILURE_CODE[result.failure];
      return failure(code, reason);
    }
    if (!result.errors?.length) return {data: result.data};
    return {
      data: result.data ?? null,
      errors: result.errors.map((error) =>
        browserError(codeForUpstreamError(error), {lineIndex: lineIndexOf(error, variables)}),
      ),
    };
  }

  async function handleGraphql(request: Request, ctx: RequestContext): Promise<Response> {
    const origin = request.headers.get('origin');
    if (!originAllowed(origin, request, allowedOrigins))
      throw new Refusal(403, 'invalid_request', 'origin_not_allowed');
    const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    // Only a JSON body needs a CORS preflight, so a cross-site form can never reach the upstream (CSRF).
    if (mediaType !== 'application/json') throw new Refusal(415, 'invalid_request', 'unsupported_media_type');
    const text = await readCappedBody(request, maxBodyBytes, (bytes) => (ctx.log.bodyBytes = bytes));
    if (jsonDepth(text) > MAX_JSON_DEPTH) throw new Refusal(400, 'invalid_request', 'too_deep');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Refusal(400, 'invalid_request', 'malformed_json');
    }
    const batch = Array.isArray(body);
    const operations: unknown[] = batch ? (body as unknown[]) : [body];
    if (operations.length === 0) throw new Refusal(400, 'invalid_request', 'empty_batch');
    if (operations.length > maxBatch) throw new Refusal(400, 'invalid_request', 'batch_too_large');
    ctx.log.operations = operations.length;

    const ip = clientIp(request, ctx.connection);
    if (rateLimiter) {
      const decision = await rateLimiter.take(ip ?? 'unknown', operations.length);
      if (!decision.ok)
        throw new Refusal(429, 'rate_limited', 'rate_limited', {
          'retry-after': String(decision.retryAfterSeconds),
        });
    }
    const identity = await identityFor(request);
    ctx.log.identity = identity !== undefined;
    const results = await Promise.all(operations.map((op) => runOperation(op, ip, identity, ctx)));
    ctx.log.codes = results.flatMap((result) => result.errors?.map((error) => error.extensions.code) ?? []);
    const answer = batch ? results : results[0];
    return Response.json(answer, {
      headers: {
        'cache-control': cacheControl({
          identity: identity !== undefined,
          failed: ctx.log.codes.length > 0,
          body: answer,
          now: now(),
          maxAgeSeconds,
        }),
      },
    });
  }

  const app = new Hono<{Bindings: RequestContext}>();

  app.get(HEALTH_PATH, (c) =>
    c.json({status: 'ok', upstream: breaker?.state ?? 'closed'}, 200, {'cache-control': 'no-store'}),
  );

  app.options(GRAPHQL_PATH, (c) => {
    const origin = c.req.header('origin') ?? null;
    if (origin === null || !originAllowed(origin, c.req.raw, allowedOrigins)) {
      c.env.log.reason = 'origin_not_allowed';
      return c.body(null, 403, {vary: 'Origin'});
    }
    return c.body(null, 204, {
      ...corsHeaders(origin, true),
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': ALLOWED_HEADERS,
      'access-control-max-age': String(PREFLIGHT_MAX_AGE),
    });
  });

  app.post(GRAPHQL_PATH, (c) => handleGraphql(c.req.raw, c.env));

  app.all(GRAPHQL_PATH, () => {
    throw new Refusal(405, 'invalid_request', 'method_not_allowed', {allow: 'POST, OPTIONS'});
  });

  app.notFound((c) => c.json(failure('invalid_request'), 404));

  app.onError((error, c) => {
    const refusal = error instanceof Refusal ? error : new Refusal(503, 'unavailable', 'upstream_failed');
    c.env.log.reason = refusal.reason;
    c.env.log.codes = [refusal.code];
    return c.json(failure(refusal.code, refusal.reason), refusal.status, {
      ...refusal.headers,
      'cache-control': 'no-store',
    });
  });

  return async (request, connection) => {
    const started = now();
    const url = new URL(request.url);
    const log: RequestLog = {
      time: new Date(started).toISOString(),
      requestId: requestIdFor(request),
      method: request.method,
      path: url.pathname,
      status: 0,
      ms: 0,
      documents: [],
      upstream: {calls: 0, attempts: 0, coalesced: 0, ms: 0},
    };
    const response = await app.fetch(request, {connection, log});
    const origin = request.headers.get('origin');
    if (url.pathname.startsWith('/bwp/')) {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
      for (const [name, value] of Object.entries(
        corsHeaders(origin, originAllowed(origin, request, allowedOrigins)),
      ))
        response.headers.set(name, value);
      response.headers.set('x-request-id', log.requestId);
    }
    log.status = response.status;
    log.ms = now() - started;
    if (!log.documents?.length) delete log.documents;
    if (!log.upstream?.calls && !log.upstream?.coalesced) delete log.upstream;
    logger(log);
    return response;
  };
}

/** The line item an upstream error is about, when its path or details point at exactly one (never its text). */
function lineIndexOf(error: UpstreamError, variables: Record<string, unknown>): number | undefined {
  const lines = (variables.lineItems ?? variables.products) as Array<Record<string, unknown>> | undefined;
  if (!lines) return undefined;
  if (lines.length === 1) return 0;
  if (Array.isArray(error.path)) {
    const at = error.path.findIndex((part) => part === 'lineItems' || part === 'products');
    const index = at >= 0 ? error.path[at + 1] : undefined;
    if (typeof index === 'number' && index >= 0 && index < lines.length) return index;
  }
  const details = error.extensions?.details;
  if (details && typeof details === 'object') {
    const mentioned = new Set(
      Object.values(details).filter((value): value is string => typeof value === 'string'),
    );
    const matches = lines
      .map((line, index) => (identifiers(line).some((id) => mentioned.has(id)) ? index : -1))
      .filter((index) => index >= 0);
    if (matches.length === 1) return matches[0];
  }
  return undefined;
}

function identifiers(line: Record<string, unknown>): string[] {
  const product = (line.product ?? {}) as Record<string, unknown>;
  const identifier = (product.identifier ?? line.productIdentifier ?? {}) as Record<string, unknown>;
  return [product.productId, ...Object.values(identifier)].filter((v): v is string => typeof v === 'string');
}
