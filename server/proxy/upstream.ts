// Calls to the Buy with Prime API: a GraphQL POST, a deadline, retries with full jitter, a 401 refresh, coalescing, a breaker.
import {renderDocument, type PersistedDocument, type RenderedDocument} from '../operations/documents.ts';
import {isThrottling, type UpstreamError} from './errors.ts';
import {TokenError, type TokenSource} from './token.ts';

export interface UpstreamOptions {
  apiUrl: string;
  targetId: string;
  apiVersion?: string;
  fetch: typeof fetch;
  tokens: TokenSource;
  /** Deadline of one call including its retries, in ms (default 3000). */
  timeoutMs?: number;
  /** Attempts per call, the first included (default 3). */
  maxAttempts?: number;
  /** Backoff base and cap, in ms: attempt n waits rand(0, min(cap, base·2^n)) (defaults 100, 1000). */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  random?: () => number;
  breaker?: CircuitBreaker;
  /** Clock of the throttling pause (deadlines use real time). */
  now?: () => number;
}

/** What one logical upstream call came to. */
export interface UpstreamResult {
  /** `data` and `errors` as the API answered (errors are classified by the caller, never forwarded). */
  data?: unknown;
  errors?: UpstreamError[];
  /**
   * Set when no usable answer came: why. `failed` is the upstream's fault (5xx, network); `rejected` is a
   * refusal of ours (a 4xx such as a WAF's 403, or 401 after a new token), which says nothing of its health.
   */
  failure?: 'timeout' | 'failed' | 'rejected' | 'throttled' | 'circuit_open' | 'token_unavailable';
  attempts: number;
  /** This caller shared a call already in flight. */
  coalesced: boolean;
  ms: number;
}

export interface Upstream {
  call(document: PersistedDocument, variables: Record<string, unknown>): Promise<UpstreamResult>;
  /** Upstream HTTP requests made so far (attempts, not logical calls). */
  readonly requests: number;
}

type Outcome =
  | {kind: 'answer'; data?: unknown; errors?: UpstreamError[]}
  | {kind: 'retry'}
  | {kind: 'throttled'; retryAfterMs: number}
  | {kind: 'fail'};

/** Pause after throttling when the API gives no Retry-After, and the longest pause it can ask for. */
export const DEFAULT_THROTTLE_PAUSE_MS = 1000;
export const MAX_THROTTLE_PAUSE_MS = 60_000;

/** Retry-After (seconds or an HTTP date) in ms, within [0, MAX_THROTTLE_PAUSE_MS]. */
export function retryAfterMs(value: string | null | undefined, now: number): number {
  if (!value) return DEFAULT_THROTTLE_PAUSE_MS;
  const seconds = /^\s*\d+\s*$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(seconds)) return DEFAULT_THROTTLE_PAUSE_MS;
  return Math.min(MAX_THROTTLE_PAUSE_MS, Math.max(0, seconds));
}

/**
 * The upstream client the proxy uses for every document.
 * @example
 * const upstream = createUpstream({apiUrl, targetId, apiVersion: '2024-11-01', fetch, tokens});
 * const {data, errors, failure} = await upstream.call(PRODUCT_OFFERS, variables);
 */
export function createUpstream(options: UpstreamOptions): Upstream {
  const timeoutMs = options.timeoutMs ?? 3000;
  const maxAttempts = options.maxAttempts ?? 3;
  const base = options.backoffBaseMs ?? 100;
  const cap = options.backoffCapMs ?? 1000;
  const random = options.random ?? Math.random;
  const breaker = options.breaker;
  const now = options.now ?? Date.now;
  // The API's quota belongs to the merchant, not to a shopper: once it throttles, the whole instance waits.
  let pausedUntil = 0;
  const staticHeaders: Record<string, string> = {
    // What graphql-request sent, so the API sees the same request it always has.
    accept: 'application/graphql-response+json, application/json',
    'content-type': 'application/json',
    'x-api-target-id': options.targetId,
    ...(options.apiVersion ? {'x-api-version': options.apiVersion} : {}),
  };
  const inFlight = new Map<string, Promise<Omit<UpstreamResult, 'coalesced' | 'ms'>>>();
  let requests = 0;

  async function attempt(
    {query, variables}: RenderedDocument,
    signal: AbortSignal,
    token: string,
  ): Promise<Outcome & {status?: number}> {
    requests++;
    let status: number;
    let result: ExecutionResult | undefined;
    let retryAfter: string | null;
    try {
      // A plain POST of {query, variables} (each persisted document holds one operation, so no
      // operationName): graphql-request did the same with a third of the proxy's CPU per request on top.
      const response = await options.fetch(options.apiUrl, {
        method: 'POST',
        headers: {...staticHeaders, authorization: `Bearer ${token}`},
        body: JSON.stringify({query, variables}),
        signal,
      });
      const text = await response.text();
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      result = executionResult(text, response.headers.get('content-type'));
    } catch {
      // Network errors are worth another try; our own deadline is not.
      return signal.aborted ? {kind: 'fail'} : {kind: 'retry'};
    }
    // The upstream body is never logged or shown: only its status and its classified errors are used.
    const errors = result?.errors as UpstreamError[] | undefined;
    if (status >= 200 && status < 300) {
      // An answer that is not a GraphQL result is worth another try, like a dropped connection.
      if (!result) return {kind: 'retry'};
      if (errors?.length && errors.some(isThrottling))
        return {kind: 'throttled', retryAfterMs: retryAfterMs(retryAfter, now())};
      return {kind: 'answer', data: result.data, errors: errors?.length ? errors : undefined};
    }
    if (status === 401) return {kind: 'fail', status};
    if (status === 429 || errors?.some(isThrottling))
      return {kind: 'throttled', retryAfterMs: retryAfterMs(retryAfter, now()), status};
    if (status >= 500) return {kind: 'retry', status};
    if (errors?.length) return {kind: 'answer', errors, status};
    return {kind: 'fail', status};
  }

  async function run(document: PersistedDocument, variables: Record<string, unknown>) {
    const deadline = Date.now() + timeoutMs;
    // Not AbortSignal.timeout: its timer outlives the call and fires for every call, 3 s later.
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      timeoutMs,
    );
    try {
      return await runUntil(document, variables, controller.signal, deadline);
    } finally {
      clearTimeout(timer);
    }
  }

  async function runUntil(
    document: PersistedDocument,
    variables: Record<string, unknown>,
    signal: AbortSignal,
    deadline: number,
  ) {
    let attempts = 0;
    let refreshed = false;
    let rejected = false;
    let token: string;
    const rendered = renderDocument(document, variables);
    try {
      token = await withDeadline(options.tokens.get(), signal);
    } catch (error) {
      return {attempts, failure: error instanceof TokenError ? 'token_unavailable' : 'timeout'} as const;
    }
    while (attempts < maxAttempts) {
      attempts++;
      const outcome = await attempt(rendered, signal, token);
      if (outcome.kind === 'answer') return {attempts, data: outcome.data, errors: outcome.errors};
      if (outcome.status === 401 && !refreshed) {
        // The token was revoked or the clock is off: one new token, one more try, not counted as a retry.
        refreshed = true;
        attempts--;
        options.tokens.invalidate(token);
        try {
          token = await withDeadline(options.tokens.get(), signal);
        } catch {
          return {attempts, failure: 'token_unavailable'} as const;
        }
        continue;
      }
      // Retrying throttling spends the quota that ran out: stop, and pause every call until it is back.
      if (outcome.kind === 'throttled') {
        pausedUntil = Math.max(pausedUntil, now() + outcome.retryAfterMs);
        return {attempts, failure: 'throttled'} as const;
      }
      rejected = outcome.kind === 'fail' && outcome.status !== undefined && outcome.status < 500;
      if (outcome.kind === 'fail' || signal.aborted) break;
      if (attempts >= maxAttempts) break;
      const wait = random() * Math.min(cap, base * 2 ** attempts);
      // A retry that cannot finish inside the deadline is not worth starting.
      if (Date.now() + wait >= deadline) break;
      await sleep(wait);
    }
    if (rejected) return {attempts, failure: 'rejected'} as const;
    if (signal.aborted) return {attempts, failure: 'timeout'} as const;
    return {attempts, failure: 'failed'} as const;
  }

  return {
    async call(document, variables) {
      const started = Date.now();
      const key = JSON.stringify([document.id, variables]);
      const shared = inFlight.get(key);
      if (shared) return {...(await shared), coalesced: true, ms: Date.now() - started};
      if (now() < pausedUntil) return {attempts: 0, failure: 'throttled', coalesced: false, ms: 0};
      if (breaker && !breaker.allow()) return {attempts: 0, failure: 'circuit_open', coalesced: false, ms: 0};
      const pending = run(document, variables).then((result) => {
        if (breaker) {
          if (result.failure === 'timeout' || result.failure === 'failed') breaker.failure();
          else if (!result.failure) breaker.success();
          else breaker.release();
        }
        return result;
      });
      // Coalescing: identical calls (same document and variables, so same IP and identity) share one answer.
      inFlight.set(key, pending);
      try {
        return {...(await pending), coalesced: false, ms: Date.now() - started};
      } finally {
        inFlight.delete(key);
      }
    },
    get requests() {
      return requests;
    },
  };
}

interface ExecutionResult {
  data?: unknown;
  errors?: unknown;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The body as a GraphQL execution result, or undefined when it is not one, by graphql-request's rules: a JSON
 * (or graphql-response+json) body holding an object whose `errors` is an array or object, `data` an object or
 * null, `extensions` an object.
 */
function executionResult(text: string, contentType: string | null): ExecutionResult | undefined {
  const type = contentType?.toLowerCase() ?? '';
  if (!type.includes('application/json') && !type.includes('application/graphql-response+json'))
    return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(body)) return undefined;
  if ('errors' in body && typeof body.errors !== 'object') return undefined;
  if ('errors' in body && body.errors === null) return undefined;
  if ('data' in body && body.data !== null && !isPlainObject(body.data)) return undefined;
  if ('extensions' in body && !isPlainObject(body.extensions)) return undefined;
  return {data: body.data, errors: body.errors};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function withDeadline<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, {once: true});
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export interface CircuitBreakerOptions {
  /** Share of failed calls in the window that opens the circuit (default 0.5). */
  failureRate?: number;
  /** Calls the window must hold before their failure rate counts (default 20). */
  minimumCalls?: number;
  /** The rolling window the rate is taken over, in ms (default 10 s, in ten slots). */
  windowMs?: number;
  /** How long it stays open before one probe call is let through, in ms (default 10 s). */
  openMs?: number;
  now?: () => number;
}

/** closed: calls pass; open: calls fail fast; half-open: one probe passes, its outcome decides. */
export interface CircuitBreaker {
  readonly state: 'closed' | 'open' | 'half-open';
  allow(): boolean;
  success(): void;
  /** The upstream failed: a 5xx, a network error or a timeout (never a 4xx or throttling). */
  failure(): void;
  /** The call ended without telling anything about the upstream (e.g. no token): free the probe slot. */
  release(): void;
}

const SLOTS = 10;

/**
 * A failure-rate circuit breaker for the upstream: it opens when at least `failureRate` of the calls of
 * the last `windowMs` failed and there were at least `minimumCalls` of them, so neither one bad moment
 * on a quiet shop nor a handful of failures among many successes takes every shopper's answers away.
 * @example
 * const breaker = createCircuitBreaker({failureRate: 0.5, minimumCalls: 20, windowMs: 10_000, openMs: 10_000});
 * createProxy({...options, breaker});
 */
export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const failureRate = options.failureRate ?? 0.5;
  const minimumCalls = Math.max(1, options.minimumCalls ?? 20);
  const slotMs = Math.max(1, (options.windowMs ?? 10_000) / SLOTS);
  const openMs = options.openMs ?? 10_000;
  const now = options.now ?? Date.now;
  const slots = Array.from({length: SLOTS}, () => ({index: -1, calls: 0, failures: 0}));
  let openedAt = 0;
  let state: CircuitBreaker['state'] = 'closed';
  let probing = false;

  function record(failed: boolean) {
    const index = Math.floor(now() / slotMs);
    const slot = slots[index % SLOTS]!;
    if (slot.index !== index) Object.assign(slot, {index, calls: 0, failures: 0});
    slot.calls++;
    if (failed) slot.failures++;
    let calls = 0;
    let failures = 0;
    for (const each of slots) {
      if (each.index <= index - SLOTS) continue;
      calls += each.calls;
      failures += each.failures;
    }
    return {calls, failures};
  }

  function open() {
    state = 'open';
    openedAt = now();
    for (const slot of slots) slot.index = -1;
  }

  return {
    get state() {
      if (state === 'open' && now() - openedAt >= openMs) state = 'half-open';
      return state;
    },
    allow() {
      const current = this.state;
      if (current === 'closed') return true;
      if (current === 'half-open' && !probing) return (probing = true);
      return false;
    },
    success() {
      probing = false;
      if (state !== 'closed') {
        state = 'closed';
        for (const slot of slots) slot.index = -1;
      }
      record(false);
    },
    failure() {
      probing = false;
      if (state === 'half-open') return open();
      if (state === 'open') return;
      const {calls, failures} = record(true);
      if (calls >= minimumCalls && failures >= failureRate * calls) open();
    },
    release() {
      probing = false;
    },
  };
}
