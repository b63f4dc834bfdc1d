// createProxy: the merchant's gateway from the browser to the Buy with Prime API, as a fetch handler.
import {Hono, type Context} from 'hono';
import {MAX_BATCH, SHOPPER_TOKEN_HEADER, type ErrorCode} from '../../src/api/protocol.ts';
import {DOCUMENTS, type PersistedDocument} from '../operations/documents.ts';
import {
  browserError,
  codeForUpstreamError,
  reasonForUpstreamError,
  Refusal,
  type BrowserError,
  type RefusalReason,
  type UpstreamError,
} from './errors.ts';
import {
  canonicalAddress,
  clientKey,
  resolveClient,
  trustPolicy,
  UNKNOWN_CLIENT,
  UNKNOWN_CLIENT_COST,
  type TrustedProxies,
  type TrustPolicy,
} from './client-address.ts';
import {cacheControl, originAllowed} from './http.ts';
import {silentLogger, type Logger, type RequestLog} from './log.ts';
import {
  answer,
  bodyCap,
  browserCors,
  guardPreflight,
  refuseForeignOrigin,
  requestId,
  requestLog,
  requireJson,
  securityHeaders,
  type OriginCheck,
  type ProxyVariables,
} from './middleware.ts';
import {createRateLimiter, type RateLimitDecision, type RateLimiter} from './rate-limit.ts';
import {createTokenSource, type TokenStore} from './token.ts';
import {
  createCircuitBreaker,
  createUpstream,
  type CallContext,
  type CircuitBreaker,
  type Upstream,
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
  /**
   * The origin the shop's pages (and the proxy under /bwp) are served from as browsers see it, e.g.
   * `https://shop.example` behind TLS termination (`BWP_PUBLIC_ORIGIN`). Same-origin requests from it are
   * allowed; a Host or X-Forwarded-Host header never makes an origin the proxy's own.
   */
  publicOrigin?: string;
  /**
   * Proxies in front of this one whose X-Forwarded-For entries are trusted (default 0: the connection's peer):
   * a hop count (the nearest on loopback or a private network), or addresses, CIDRs, loopback, linklocal, uniquelocal.
   */
  trustedProxies?: TrustedProxies;
  /** The client IP as the platform knows it, e.g. `(r) => r.headers.get('cf-connecting-ip')` on Cloudflare. */
  getClientIp?: (request: Request) => string | null | undefined;
  /** The shopper identity from the merchant's own session; when it returns one, it wins over the header. */
  shopperIdentity?: (
    request: Request,
  ) => IdentityTokenInput | undefined | Promise<IdentityTokenInput | undefined>;
  /** Where the access token is kept; share one between instances (default: this process's memory). */
  tokenStore?: TokenStore;
  /**
   * Upstream calls per client per minute, retries included (`BWP_RATE_LIMIT`, default 1200): a client is an
   * IPv4 address or an IPv6 /64. Used by the default limiter.
   */
  rateLimit?: number;
  /** Per-client limiter charged one per upstream call (default: in memory, `rateLimit`); false turns it off. */
  rateLimiter?: RateLimiter | false;
  /**
   * Upstream calls per client per minute for requests carrying a shopper token header (`BWP_SHOPPER_RATE_LIMIT`,
   * default 240), on top of `rateLimit`. An identity from the `shopperIdentity` hook does not pay it.
   */
  shopperRateLimit?: number;
  /** The limiter of `shopperRateLimit` (default: in memory); false turns it off. */
  shopperRateLimiter?: RateLimiter | false;
  /** Upstream calls in flight at once from this instance, at most (default 64). */
  maxConcurrentUpstream?: number;
  /** How long a call waits for a free upstream slot before `unavailable` with Retry-After, in ms (default 1000). */
  upstreamQueueMs?: number;
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
  /** The connection's peer (or what the platform guarantees in its place). */
  clientIp?: string;
  /** X-Forwarded-For beyond that peer, when the platform used part of the header for the peer itself. */
  forwardedFor?: string | null;
  /**
   * The origins the connection itself was made to (Node: `http://` + the socket's own address and port).
   * When given, they replace the request URL's origin as the proxy's own: on Node that URL is only the
   * client's Host header. Workers and Lambda build the URL from their routing and leave this out.
   */
  origins?: readonly string[];
  /**
   * Calls `listener` once the client has gone away without its answer, at once if it already has; returns
   * the unsubscribe. Node mounts set it from the response's `close`: there the request's `signal` costs an
   * AbortController per request. Without it, the proxy watches the request's `signal`.
   */
  onGone?: (listener: () => void) => () => void;
}

export type ProxyHandler = (request: Request, connection?: ConnectionInfo) => Promise<Response>;

export const GRAPHQL_PATH = '/bwp/graphql';
export const HEALTH_PATH = '/bwp/health';
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;
/**
 * Upstream calls per client per minute. A product grid asks one call per card: 1200 lets a shopper open
 * twelve 96-card pages at once, then one every 4.8 s, while one abusive address costs at most 20 calls a second.
 */
export const DEFAULT_RATE_LIMIT = 1200;
/**
 * Upstream calls per client per minute carrying a shopper token header: a signed-in shopper's product and
 * checkout pages need a few each; guessing Login with Amazon tokens needs thousands.
 */
export const DEFAULT_SHOPPER_RATE_LIMIT = 240;
/** Line items (or products) in one request body, all its documents together: a full grid batch or two checkouts. */
export const MAX_LINES_PER_REQUEST = 100;

interface OperationResult {
  data?: unknown;
  errors?: BrowserError[];
  /**
   * This result as JSON as the API wrote it, when passed on unchanged (`{"data": …}`, see UpstreamResult.text):
   * sent as it came rather than serialised again. A symbol, so JSON.stringify never writes it.
   */
  [SENT]?: string;
}

const SENT = Symbol('the API text of a result passed on unchanged');

/** A result as the browser gets it: the API's own text when passed on unchanged, else serialised. */
const serialised = (result: OperationResult): string => result[SENT] ?? JSON.stringify(result);

/** The Hono environment of the proxy's app: the platform's connection info, and what the middlewares hand on. */
interface ProxyEnv {
  Bindings: {connection?: ConnectionInfo};
  Variables: ProxyVariables;
}

type ProxyContext = Context<ProxyEnv>;

/** What the route's steps found out about a request, handed from one step to the next. */
interface Forward {
  /** The request's operations; a single operation is a batch of one. */
  operations: unknown[];
  batch: boolean;
  clientIp: string | undefined;
  /** The limiter's key: the IPv4 address or IPv6 /64, or UNKNOWN_CLIENT. */
  clientKey: string;
  identity: IdentityTokenInput | undefined;
  /** The identity came from the shopper token header, not from the merchant's hook. */
  headerIdentity: boolean;
  /** Pays for one upstream call of this request (false: over budget); set by `rateLimit`. */
  charge: (() => boolean | Promise<boolean>) | undefined;
  /** The longest Retry-After the limiter asked for in this request, in s (0: none). */
  retryAfter: number;
}

const failure = (code: ErrorCode, reason?: RefusalReason): OperationResult => ({
  data: null,
  errors: [browserError(code, {reason})],
});

const FAILURE_CODE: Record<NonNullable<UpstreamResult['failure']>, [ErrorCode, RefusalReason]> = {
  timeout: ['unavailable', 'upstream_timeout'],
  failed: ['unavailable', 'upstream_failed'],
  rejected: ['unavailable', 'upstream_failed'],
  throttled: ['rate_limited', 'rate_limited'],
  circuit_open: ['unavailable', 'circuit_open'],
  token_unavailable: ['unavailable', 'token_unavailable'],
  limited: ['rate_limited', 'rate_limited'],
  overloaded: ['unavailable', 'overloaded'],
  abandoned: ['unavailable', 'upstream_timeout'],
};

/** Seconds a browser should wait after `overloaded`: a slot frees within one upstream deadline at most. */
const OVERLOADED_RETRY_AFTER = 1;

/**
 * The proxy: persisted documents only, server-owned variables, a cached access token, a guarded upstream.
 * @example
 * const proxy = createProxy({apiUrl, tokenUrl, clientId, clientSecret, targetId, allowedOrigins: ['https://shop.example']});
 * serve({fetch: (request, env) => proxy(request, {clientIp: env.incoming.socket.remoteAddress})});
 */
export function createProxy(options: ProxyOptions): ProxyHandler {
  const upstreamFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const now = options.now ?? Date.now;
  const allowedOrigins = new Set([
    ...(options.allowedOrigins ?? []),
    ...(options.publicOrigin ? [options.publicOrigin] : []),
  ]);
  const isAllowed: OriginCheck = (origin, request, connection) =>
    originAllowed(origin, request, allowedOrigins, connection?.origins);
  const rateLimiter =
    options.rateLimiter === false
      ? undefined
      : (options.rateLimiter ?? createRateLimiter({limit: options.rateLimit ?? DEFAULT_RATE_LIMIT}));
  const shopperRateLimiter =
    options.shopperRateLimiter === false
      ? undefined
      : (options.shopperRateLimiter ??
        createRateLimiter({limit: options.shopperRateLimit ?? DEFAULT_SHOPPER_RATE_LIMIT}));
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
    maxConcurrent: options.maxConcurrentUpstream,
    queueMs: options.upstreamQueueMs,
    now: options.now,
    timers: options.timers,
  });

  const watched = watchUpstream(upstream, now);

  const app = new Hono<ProxyEnv>();
  app.use(
    requestLog({logger: options.logger ?? silentLogger, now}),
    securityHeaders(),
    requestId(),
    guardPreflight({path: GRAPHQL_PATH, allowed: isAllowed}),
    browserCors(isAllowed),
  );
  const documents = options.documents ?? DOCUMENTS;
  let version: Promise<string> | undefined;
  app.get(HEALTH_PATH, async (c) => {
    // A cached token costs nothing; otherwise one token call (the token source's backoff caps the rate).
    const token = await tokens.get().then(
      () => 'ok',
      () => 'unavailable',
    );
    const health = {
      status: 'ok',
      upstream: breaker?.state ?? 'closed',
      token,
      lastUpstream: watched.last,
      documents: await (version ??= documentSetVersion(documents)),
      allowedOrigins: [...allowedOrigins],
    };
    return answer(c, JSON.stringify(health), 200, {'cache-control': 'no-store'});
  });
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxBatch = options.maxBatch ?? MAX_BATCH;
  const clientOptions = {getClientIp: options.getClientIp, trust: trustPolicy(options.trustedProxies)};
  const forwardOptions: ForwardOptions = {
    documents,
    upstream: watched,
    now,
    maxAgeSeconds: options.maxAgeSeconds ?? 30,
  };
  // The route's steps in order, each a plain function: only reading the body, the merchant's identity hook
  // and an asynchronous limiter are awaited.
  app.post(GRAPHQL_PATH, async function graphql(c) {
    const request = c.req.raw;
    const connection = c.env?.connection;
    refuseForeignOrigin(isAllowed, request, connection);
    requireJson(request);
    const log = c.get('log');
    const forward = parseBatch(await bodyCap(request, maxBodyBytes, log), maxBatch, log);
    clientIp(forward, request, connection, clientOptions, log);
    const identity = shopperIdentity(forward, request, options.shopperIdentity, log);
    if (identity) await identity;
    rateLimit(forward, rateLimiter, shopperRateLimiter, log);
    return forwardOperations(c, forward, forwardOptions);
  });
  app.all(GRAPHQL_PATH, () => {
    throw new Refusal(405, 'invalid_request', 'method_not_allowed', {allow: 'POST, OPTIONS'});
  });
  app.notFound((c) => answer(c, JSON.stringify(failure('invalid_request')), 404));
  app.onError((error, c) => {
    const refusal = error instanceof Refusal ? error : new Refusal(503, 'unavailable', 'upstream_failed');
    const log = c.get('log');
    log.reason = refusal.reason;
    log.codes = [refusal.code];
    return answer(c, JSON.stringify(failure(refusal.code, refusal.reason)), refusal.status, {
      ...refusal.headers,
      'cache-control': 'no-store',
    });
  });

  return (request, connection) => Promise.resolve(app.fetch(request, {connection}));
}

/** What the last upstream call came to (`ok`, or its failure) and when; null before the first. */
interface LastUpstream {
  outcome: NonNullable<UpstreamResult['failure']> | 'ok';
  at: string;
}

/** The upstream, remembering its last outcome for the health route. */
function watchUpstream(upstream: Upstream, now: () => number): Upstream & {last: LastUpstream | null} {
  // The outcome and its time as they come; the time is written out only when the health route asks.
  let outcome: LastUpstream['outcome'] | undefined;
  let at = 0;
  const record = (result: UpstreamResult) => {
    outcome = result.failure ?? 'ok';
    at = now();
    return result;
  };
  return {
    get last() {
      return outcome === undefined ? null : {outcome, at: new Date(at).toISOString()};
    },
    call: (...args) => upstream.call(...args).then(record),
    get requests() {
      return upstream.requests;
    },
    get inFlight() {
      return upstream.inFlight;
    },
    get peakInFlight() {
      return upstream.peakInFlight;
    },
  };
}

/**
 * The document set's version: the first 16 hex digits of SHA-256 over the ids and texts, sorted by id. A
 * bundle and a proxy built from the same documents agree on it; one from an older set does not.
 */
export async function documentSetVersion(documents: ReadonlyMap<string, PersistedDocument>): Promise<string> {
  const text = JSON.stringify([...documents.values()].map((d) => [d.id, d.query]).sort());
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)]
    .slice(0, 8)
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join('');
}

/** The body as a batch of operations: 400 when it is nested too deep, not JSON, empty, or over `maxBatch`. */
function parseBatch(text: string, maxBatch: number, log: RequestLog): Forward {
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
  if (countLines(operations) > MAX_LINES_PER_REQUEST)
    throw new Refusal(400, 'invalid_request', 'batch_too_large');
  log.operations = operations.length;
  return {
    operations,
    batch,
    clientIp: undefined,
    clientKey: UNKNOWN_CLIENT,
    identity: undefined,
    headerIdentity: false,
    charge: undefined,
    retryAfter: 0,
  };
}

/** Line items and products of every operation, counted before any is validated (the rest is checked per document). */
function countLines(operations: unknown[]): number {
  let lines = 0;
  for (const operation of operations) {
    const variables = (operation as {variables?: {lineItems?: unknown; products?: unknown}} | null)
      ?.variables;
    if (typeof variables !== 'object' || variables === null) continue;
    if (Array.isArray(variables.lineItems)) lines += variables.lineItems.length;
    if (Array.isArray(variables.products)) lines += variables.products.length;
  }
  return lines;
}

/** The client's address, from the platform's hook, or from the connection and the trusted X-Forwarded-For entries. */
function clientIp(
  forward: Forward,
  request: Request,
  connection: ConnectionInfo | undefined,
  {getClientIp, trust}: Pick<ProxyOptions, 'getClientIp'> & {trust: TrustPolicy},
  log: RequestLog,
): void {
  const address = getClientIp
    ? canonicalAddress(getClientIp(request))
    : resolveClient(
        {
          peer: connection?.clientIp,
          forwardedFor:
            connection?.forwardedFor !== undefined
              ? connection.forwardedFor
              : request.headers.get('x-forwarded-for'),
        },
        trust,
      );
  const key = clientKey(address);
  forward.clientIp = address?.toString();
  forward.clientKey = key;
  log.client = loggedClient(key);
}

/**
 * The price of upstream calls: each one (retries included) costs the client one, ten for a client whose
 * address cannot be known (they share one bucket, so hiding the address buys nothing), and a request carrying
 * a shopper token header pays the shopper budget as well. The refusals are answered by `forwardOperations`.
 */
function rateLimit(
  forward: Forward,
  limiter: RateLimiter | undefined,
  shopperLimiter: RateLimiter | undefined,
  log: RequestLog,
): void {
  const shopper = forward.headerIdentity ? shopperLimiter : undefined;
  if (!limiter && !shopper) return;
  const budget: Budget = {
    key: forward.clientKey,
    cost: forward.clientKey === UNKNOWN_CLIENT ? UNKNOWN_CLIENT_COST : 1,
    limiter,
    shopper,
    tally: (log.limiter = {charged: 0, refused: 0}),
    forward,
  };
  forward.charge = () => charge(budget);
}

interface Budget {
  key: string;
  cost: number;
  limiter: RateLimiter | undefined;
  shopper: RateLimiter | undefined;
  tally: {charged: number; refused: number};
  forward: Forward;
}

// A limiter's take() may answer at once or with a promise; one answered at once is not awaited.
const isPromise = <T>(value: T | Promise<T>): value is Promise<T> =>
  typeof (value as {then?: unknown} | null)?.then === 'function';

/** One upstream call paid from the budgets: the shopper's first (the smaller: a refusal there leaves the client's untouched). */
const charge = (budget: Budget) =>
  take(budget.shopper, budget, () => take(budget.limiter, budget, () => charged(budget)));

/** The call's cost taken from `limiter` (none: free), then `next`; a refusal is recorded and ends there. */
function take(
  limiter: RateLimiter | undefined,
  budget: Budget,
  next: () => boolean | Promise<boolean>,
): boolean | Promise<boolean> {
  if (!limiter) return next();
  const decision = limiter.take(budget.key, budget.cost);
  return isPromise(decision)
    ? decision.then((settled) => (settled.ok ? next() : refuse(budget, settled)))
    : decision.ok
      ? next()
      : refuse(budget, decision);
}

function charged(budget: Budget): true {
  budget.tally.charged++;
  return true;
}

function refuse(budget: Budget, decision: RateLimitDecision): false {
  budget.tally.refused++;
  budget.forward.retryAfter = Math.max(budget.forward.retryAfter, decision.retryAfterSeconds);
  return false;
}

// Salted per instance, so a logged hash cannot be looked up from a list of addresses.
const LOG_SALT = Array.from(crypto.getRandomValues(new Uint8Array(8)), (byte) => byte.toString(16)).join('');

// The last clients' logged forms: a shopper's requests come in runs, and the hash walks the key each time.
const loggedClients = new Map<string, string>();

/** The client key as logged: its network (IPv4 /24, IPv6 /48) and a 32-bit FNV-1a hash of the salted key. */
function loggedClient(key: string): string {
  let logged = loggedClients.get(key);
  if (logged === undefined) {
    if (loggedClients.size >= 1024) loggedClients.clear();
    logged = hashedClient(key);
    loggedClients.set(key, logged);
  }
  return logged;
}

function hashedClient(key: string): string {
  let hash = 0x811c9dc5;
  const text = LOG_SALT + key;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  const digest = (hash >>> 0).toString(16).padStart(8, '0');
  if (key === UNKNOWN_CLIENT) return `${key} ${digest}`;
  const network = key.includes(':')
    ? `${key.split(':').slice(0, 3).join(':')}::/48`
    : `${key.split('.').slice(0, 3).join('.')}.0/24`;
  return `${network} ${digest}`;
}

/** The shopper identity: the merchant's hook wins over the header; 400 when malformed, 503 when the hook fails. */
function shopperIdentity(
  forward: Forward,
  request: Request,
  hook: ProxyOptions['shopperIdentity'],
  log: RequestLog,
): Promise<void> | undefined {
  const header = request.headers.get(SHOPPER_TOKEN_HEADER) ?? undefined;
  if (hook) return identityFromHook(forward, request, hook, header, log);
  try {
    setIdentity(
      forward,
      header !== undefined ? identityFromHeader(header) : undefined,
      header !== undefined,
      log,
    );
  } catch (error) {
    throw identityRefusal(error);
  }
  return undefined;
}

async function identityFromHook(
  forward: Forward,
  request: Request,
  hook: NonNullable<ProxyOptions['shopperIdentity']>,
  header: string | undefined,
  log: RequestLog,
): Promise<void> {
  try {
    const fromHook = await hook(request);
    const identity =
      fromHook !== undefined
        ? checkIdentity(fromHook)
        : header !== undefined
          ? identityFromHeader(header)
          : undefined;
    setIdentity(forward, identity, fromHook === undefined && header !== undefined, log);
  } catch (error) {
    throw identityRefusal(error);
  }
}

function setIdentity(
  forward: Forward,
  identity: IdentityTokenInput | undefined,
  headerIdentity: boolean,
  log: RequestLog,
): void {
  forward.identity = identity;
  forward.headerIdentity = headerIdentity;
  log.identity = identity !== undefined;
}

const identityRefusal = (error: unknown) =>
  error instanceof InvalidRequest
    ? new Refusal(400, 'invalid_request', 'invalid_shopper_token')
    : new Refusal(503, 'unavailable', 'identity_unavailable');

interface ForwardOptions {
  documents: ReadonlyMap<string, PersistedDocument>;
  upstream: Upstream;
  now: () => number;
  maxAgeSeconds: number;
}

/** Each operation to the upstream on its own (a bad one does not sink the others), answered in one body. */
async function forwardOperations(
  c: ProxyContext,
  forward: Forward,
  options: ForwardOptions,
): Promise<Response> {
  const log = c.get('log');
  const identity = forward.identity;
  const request = {
    log,
    ip: forward.clientIp,
    identity,
    context: {
      onGone: onGone(c.env?.connection?.onGone ?? signalGone(c.req.raw.signal)),
      charge: forward.charge,
    },
  };
  const results = await Promise.all(
    forward.operations.map((operation) => runOperation(operation, request, options)),
  );
  const reasons = results.map((result) => result.errors?.[0]?.extensions.reason);
  // Every operation refused by the client's budget: the request as a whole is over the limit.
  if (reasons.every((reason) => reason === 'rate_limited') && forward.retryAfter > 0)
    throw new Refusal(429, 'rate_limited', 'rate_limited', {'retry-after': String(forward.retryAfter)});
  if (reasons.every((reason) => reason === 'overloaded'))
    throw new Refusal(503, 'unavailable', 'overloaded', {'retry-after': String(OVERLOADED_RETRY_AFTER)});
  log.codes = results.flatMap((result) => result.errors?.map((error) => error.extensions.code) ?? []);
  const reply = forward.batch ? results : results[0];
  const retryAfter = Math.max(
    forward.retryAfter,
    reasons.includes('overloaded') ? OVERLOADED_RETRY_AFTER : 0,
  );
  const cache = cacheControl({
    identity: identity !== undefined,
    failed: log.codes.length > 0,
    body: reply,
    now: options.now(),
    maxAgeSeconds: options.maxAgeSeconds,
  });
  // The same text JSON.stringify(reply) would give, but each result passed on unchanged is not serialised again.
  const body = forward.batch ? `[${results.map(serialised).join(',')}]` : serialised(results[0]!);
  return answer(
    c,
    body,
    200,
    retryAfter > 0 ? {'cache-control': cache, 'retry-after': String(retryAfter)} : {'cache-control': cache},
  );
}

type GoneWatch = NonNullable<ConnectionInfo['onGone']>;

/** The client gone, as the request's signal tells it (Workers, Lambda, a direct call). */
function signalGone(signal: AbortSignal): GoneWatch {
  return (listener) => {
    if (signal.aborted) {
      listener();
      return () => undefined;
    }
    signal.addEventListener('abort', listener, {once: true});
    return () => signal.removeEventListener('abort', listener);
  };
}

/**
 * One watch for all the request's operations (a batch of 50 would pass Node's listener warning at 10), made
 * when the first upstream call asks: a request refused before any call watches nothing.
 */
function onGone(watch: GoneWatch): NonNullable<CallContext['onGone']> {
  let stops: Set<() => void> | undefined;
  let gone = false;
  return (stop) => {
    if (!stops) {
      const all = (stops = new Set());
      watch(() => {
        gone = true;
        all.forEach((each) => each());
      });
    }
    if (gone) {
      stop();
      return () => undefined;
    }
    stops.add(stop);
    return () => stops!.delete(stop);
  };
}

/** One operation: a known persisted document with checked variables, forwarded; every failure is an answer. */
async function runOperation(
  operation: unknown,
  {
    log,
    ip,
    identity,
    context,
  }: {
    log: RequestLog;
    ip: string | undefined;
    identity: IdentityTokenInput | undefined;
    context: CallContext;
  },
  {documents, upstream}: ForwardOptions,
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
  log.documents!.push(document.id);

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
  // A postal code the browser chose (ProductOffers) replaces the IP; without one the proxy sets the IP.
  if (rules.ipLocation && !variables.location) variables.location = ip ? {ipAddress: ip} : {};
  if (identity) variables.shopperIdentity = identity;

  const result = await upstream.call(document, variables, context);
  const stats = log.upstream!;
  if (result.coalesced) stats.coalesced++;
  else if (result.attempts > 0) stats.calls++;
  if (!result.coalesced) stats.attempts += result.attempts;
  stats.ms = Math.max(stats.ms, result.ms);
  if (result.failure) {
    const [code, reason] = FAILURE_CODE[result.failure];
    return failure(code, reason);
  }
  if (result.text !== undefined) return {data: result.data, [SENT]: result.text};
  if (!result.errors?.length) return {data: result.data};
  return {
    data: result.data ?? null,
    errors: result.errors.map((error) =>
      browserError(codeForUpstreamError(error), {
        reason: reasonForUpstreamError(error),
        lineIndex: lineIndexOf(error, variables),
      }),
    ),
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
