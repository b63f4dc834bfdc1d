// Calls to the Buy with Prime API: graphql-request, a deadline, retries with full jitter, a 401 refresh, coalescing, a breaker.
import {ClientError, GraphQLClient} from 'graphql-request';
import type {PersistedDocument} from '../operations/documents.ts';
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
  /** The clock behind the deadline and the backoff (default: the real one); tests pass a manual one. */
  timers?: Timers;
}

/** Time as the upstream client sees it: the deadline and the backoff run on it. */
export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};

/** What one logical upstream call came to. */
export interface UpstreamResult {
  /** `data` and `errors` as the API answered (errors are classified by the caller, never forwarded). */
  data?: unknown;
  errors?: UpstreamError[];
  /** Set when no usable answer came: why. */
  failure?: 'timeout' | 'failed' | 'throttled' | 'circuit_open' | 'token_unavailable';
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
  | {kind: 'retry'; throttled?: boolean}
  | {kind: 'fail'};

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
  const timers = options.timers ?? realTimers;
  // Each persisted document holds one operation, so no operationName is sent, and graphql-request does not
  // parse the document on every call to find it (17% of the proxy's CPU per request in bench/proxy.ts).
  const client = new GraphQLClient(options.apiUrl, {
    fetch: options.fetch,
    errorPolicy: 'all',
    excludeOperationName: true,
  });
  const inFlight = new Map<string, Promise<Omit<UpstreamResult, 'coalesced' | 'ms'>>>();
  let requests = 0;

  async function attempt(
    document: PersistedDocument,
    variables: Record<string, unknown>,
    signal: AbortSignal,
    token: string,
  ): Promise<Outcome & {status?: number}> {
    requests++;
    try {
      const result = await client.rawRequest<unknown>({
        query: document.query,
        variables,
        requestHeaders: {
          authorization: `Bearer ${token}`,
          'x-api-target-id': options.targetId,
          ...(options.apiVersion ? {'x-api-version': options.apiVersion} : {}),
        },
        signal,
      });
      const errors = result.errors as UpstreamError[] | undefined;
      if (errors?.length && errors.some(isThrottling)) return {kind: 'retry', throttled: true};
      return {kind: 'answer', data: result.data, errors: errors?.length ? errors : undefined};
    } catch (error) {
      // A ClientError's message holds the whole upstream body and our variables: it is never logged or shown.
      if (error instanceof ClientError) {
        const status = error.response.status;
        const errors = error.response.errors as UpstreamError[] | undefined;
        if (status === 401) return {kind: 'fail', status};
        if (status === 429 || errors?.some(isThrottling)) return {kind: 'retry', throttled: true, status};
        if (status >= 500) return {kind: 'retry', status};
        if (errors?.length) return {kind: 'answer', errors, status};
        return {kind: 'fail', status};
      }
      // Network errors and unparsable answers are worth another try; our own deadline is not.
      return signal.aborted ? {kind: 'fail'} : {kind: 'retry'};
    }
  }

  async function run(document: PersistedDocument, variables: Record<string, unknown>) {
    const deadline = timers.now() + timeoutMs;
    const controller = new AbortController();
    const timer = timers.setTimeout(
      () => controller.abort(new DOMException('upstream deadline passed', 'TimeoutError')),
      timeoutMs,
    );
    try {
      return await tryUntil(document, variables, controller.signal, deadline);
    } finally {
      timers.clearTimeout(timer);
    }
  }

  async function tryUntil(
    document: PersistedDocument,
    variables: Record<string, unknown>,
    signal: AbortSignal,
    deadline: number,
  ) {
    let attempts = 0;
    let refreshed = false;
    let throttled = false;
    let token: string;
    try {
      token = await withDeadline(options.tokens.get(), signal);
    } catch (error) {
      return {attempts, failure: error instanceof TokenError ? 'token_unavailable' : 'timeout'} as const;
    }
    while (attempts < maxAttempts) {
      attempts++;
      const outcome = await attempt(document, variables, signal, token);
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
      throttled = outcome.kind === 'retry' && outcome.throttled === true;
      if (outcome.kind === 'fail' || signal.aborted) break;
      if (attempts >= maxAttempts) break;
      const wait = random() * Math.min(cap, base * 2 ** attempts);
      // A retry that cannot finish inside the deadline is not worth starting.
      if (timers.now() + wait >= deadline) break;
      await new Promise((resolve) => timers.setTimeout(() => resolve(undefined), wait));
    }
    if (signal.aborted) return {attempts, failure: 'timeout'} as const;
    return {attempts, failure: throttled ? 'throttled' : 'failed'} as const;
  }

  return {
    async call(document, variables) {
      const started = timers.now();
      const key = JSON.stringify([document.id, variables]);
      const shared = inFlight.get(key);
      if (shared) return {...(await shared), coalesced: true, ms: timers.now() - started};
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
        return {...(await pending), coalesced: false, ms: timers.now() - started};
      } finally {
        inFlight.delete(key);
      }
    },
    get requests() {
      return requests;
    },
  };
}

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
  /** Consecutive failed calls that open the circuit (default 5). */
  threshold?: number;
  /** How long it stays open before one probe call is let through, in ms (default 10 s). */
  openMs?: number;
  now?: () => number;
}

/** closed: calls pass; open: calls fail fast; half-open: one probe passes, its outcome decides. */
export interface CircuitBreaker {
  readonly state: 'closed' | 'open' | 'half-open';
  allow(): boolean;
  success(): void;
  failure(): void;
  /** The call ended without telling anything about the upstream (e.g. no token): free the probe slot. */
  release(): void;
}

/**
 * A consecutive-failure circuit breaker for the upstream.
 * @example
 * const breaker = createCircuitBreaker({threshold: 5, openMs: 10_000});
 * createProxy({...options, breaker});
 */
export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const threshold = options.threshold ?? 5;
  const openMs = options.openMs ?? 10_000;
  const now = options.now ?? Date.now;
  let failures = 0;
  let openedAt = 0;
  let state: CircuitBreaker['state'] = 'closed';
  let probing = false;
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
      failures = 0;
      probing = false;
      state = 'closed';
    },
    failure() {
      failures++;
      probing = false;
      if (state === 'half-open' || failures >= threshold) {
        state = 'open';
        openedAt = now();
      }
    },
    release() {
      probing = false;
    },
  };
}
