// Calls to the Buy with Prime API: a GraphQL POST, a deadline, retries with full jitter, a 401 refresh, coalescing, a breaker.
import {requestBody, type PersistedDocument} from '../operations/documents.ts';
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
  /** Upstream HTTP requests in flight at once from this instance, at most (default 64). */
  maxConcurrent?: number;
  /** How long a call waits for a free slot before it gives up as `overloaded`, in ms (default 1000). */
  queueMs?: number;
  /** Clock of the throttling pause (deadlines use real time). */
  now?: () => number;
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

/** Who asks for a call: what they pay per upstream request, and when they stop waiting. */
export interface CallContext {
  /**
   * Calls `stop` once the asker no longer waits (the browser went away), at once if it already does not;
   * returns the unsubscribe. The call stops once nobody waits for it.
   */
  onGone?: (stop: () => void) => () => void;
  /** Asked before each upstream request, retries included: false refuses it (the client is over budget). */
  charge?: () => boolean | Promise<boolean>;
}

/** Default cap on upstream requests in flight per instance, and the longest wait for a slot. */
export const DEFAULT_MAX_CONCURRENT = 64;
export const DEFAULT_QUEUE_MS = 1000;

/** What one logical upstream call came to. */
export interface UpstreamResult {
  /** `data` and `errors` as the API answered (errors are classified by the caller, never forwarded). */
  data?: unknown;
  errors?: UpstreamError[];
  /**
   * `{"data": …}` as the API wrote it, when its answer held `data` and nothing else but an empty `extensions`
   * (no `errors`): the caller may send it on instead of serialising `data` again. Never set otherwise.
   */
  text?: string;
  /**
   * Set when no usable answer came: why. `failed` is the upstream's fault (5xx, network); `rejected` is a
   * refusal of ours (a 4xx such as a WAF's 403, or 401 after a new token), which says nothing of its health.
   * `limited`: the asker's budget refused the first request; `overloaded`: no slot came free in time;
   * `abandoned`: everyone who asked stopped waiting.
   */
  failure?:
    | 'timeout'
    | 'failed'
    | 'rejected'
    | 'throttled'
    | 'circuit_open'
    | 'token_unavailable'
    | 'limited'
    | 'overloaded'
    | 'abandoned';
  attempts: number;
  /** This caller shared a call already in flight. */
  coalesced: boolean;
  ms: number;
}

export interface Upstream {
  call(
    document: PersistedDocument,
    variables: Record<string, unknown>,
    context?: CallContext,
  ): Promise<UpstreamResult>;
  /** Upstream HTTP requests made so far (attempts, not logical calls). */
  readonly requests: number;
  /** Upstream HTTP requests in flight now, and the most there have been at once. */
  readonly inFlight: number;
  readonly peakInFlight: number;
}

type Outcome =
  | {kind: 'answer'; data?: unknown; errors?: UpstreamError[]; text?: string}
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
  const timers = options.timers ?? realTimers;
  const now = options.now ?? (() => timers.now());
  // The API's quota belongs to the merchant, not to a shopper: once it throttles, the whole instance waits.
  let pausedUntil = 0;
  const staticHeaders: Record<string, string> = {
    // What graphql-request sent, so the API sees the same request it always has.
    accept: 'application/graphql-response+json, application/json',
    'content-type': 'application/json',
    'x-api-target-id': options.targetId,
    ...(options.apiVersion ? {'x-api-version': options.apiVersion} : {}),
  };
  const inFlight = new Map<string, Shared>();
  let requests = 0;
  const slots = createSlots(options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
  const queueMs = options.queueMs ?? DEFAULT_QUEUE_MS;

  async function attempt(
    body: string,
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
        body,
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
      if (result.text !== undefined) return {kind: 'answer', data: result.data, text: result.text};
      return {kind: 'answer', data: result.data, errors: errors?.length ? errors : undefined};
    }
    if (status === 401) return {kind: 'fail', status};
    if (status === 429 || errors?.some(isThrottling))
      return {kind: 'throttled', retryAfterMs: retryAfterMs(retryAfter, now()), status};
    if (status >= 500) return {kind: 'retry', status};
    if (errors?.length) return {kind: 'answer', errors, status};
    return {kind: 'fail', status};
  }

  /**
   * One call with its retries under one deadline. `control` is aborted by the deadline or, through `call`, once
   * nobody waits: one controller for both, as AbortSignal.any costs more CPU (~25 µs on Node 20) than the
   * rest of the call's bookkeeping; `expired` says which of the two it was.
   */
  async function run(
    document: PersistedDocument,
    variables: Record<string, unknown>,
    control: AbortController,
    charge: CallContext['charge'],
  ): Promise<Omit<UpstreamResult, 'coalesced' | 'ms'>> {
    const deadline = timers.now() + timeoutMs;
    let expired = false;
    const timer = timers.setTimeout(() => {
      if (control.signal.aborted) return;
      expired = true;
      control.abort(new DOMException('upstream deadline passed', 'TimeoutError'));
    }, timeoutMs);
    try {
      return await tryUntil(
        document,
        variables,
        () => control.signal.aborted && !expired,
        charge,
        control.signal,
        deadline,
      );
    } finally {
      timers.clearTimeout(timer);
    }
  }

  async function tryUntil(
    document: PersistedDocument,
    variables: Record<string, unknown>,
    abandoned: () => boolean,
    charge: CallContext['charge'],
    signal: AbortSignal,
    deadline: number,
  ): Promise<Omit<UpstreamResult, 'coalesced' | 'ms'>> {
    let attempts = 0;
    let refreshed = false;
    let rejected = false;
    let free = false;
    let token: string;
    const body = requestBody(document, variables);
    try {
      token = await withDeadline(options.tokens.get(), signal);
    } catch (error) {
      if (abandoned()) return {attempts, failure: 'abandoned'};
      return {attempts, failure: error instanceof TokenError ? 'token_unavailable' : 'timeout'} as const;
    }
    while (attempts < maxAttempts) {
      if (!(await slots.acquire(signal, Math.min(queueMs, deadline - timers.now()))))
        return {
          attempts,
          failure: abandoned() ? 'abandoned' : signal.aborted ? 'timeout' : 'overloaded',
        };
      let outcome: Awaited<ReturnType<typeof attempt>>;
      try {
        // Paid only once a slot is held, so a call that never goes out costs the client nothing.
        if (!free && charge && !(await charge())) {
          if (attempts === 0) return {attempts, failure: 'limited'};
          break;
        }
        free = false;
        attempts++;
        outcome = await attempt(body, signal, token);
      } finally {
        slots.release();
      }
      if (outcome.kind === 'answer')
        return {attempts, data: outcome.data, errors: outcome.errors, text: outcome.text};
      if (outcome.status === 401 && !refreshed) {
        // The token was revoked or the clock is off: one new token, one more try, not counted as a retry.
        refreshed = true;
        attempts--;
        // Our token's fault, not the client's: the repeat is not charged.
        free = true;
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
      if (timers.now() + wait >= deadline) break;
      await new Promise((resolve) => timers.setTimeout(() => resolve(undefined), wait));
    }
    if (rejected) return {attempts, failure: 'rejected'} as const;
    if (abandoned()) return {attempts, failure: 'abandoned'} as const;
    if (signal.aborted) return {attempts, failure: 'timeout'} as const;
    return {attempts, failure: 'failed'} as const;
  }

  return {
    async call(document, variables, context = {}) {
      const started = timers.now();
      const key = JSON.stringify([document.id, variables]);
      let shared = inFlight.get(key);
      const coalesced = shared !== undefined;
      if (!shared) {
        if (now() < pausedUntil) return {attempts: 0, failure: 'throttled', coalesced: false, ms: 0};
        if (breaker && !breaker.allow())
          return {attempts: 0, failure: 'circuit_open', coalesced: false, ms: 0};
        const abandon = new AbortController();
        const pending = run(document, variables, abandon, context.charge).then((result) => {
          if (breaker) {
            if (result.failure === 'timeout' || result.failure === 'failed') breaker.failure();
            else if (!result.failure) breaker.success();
            else breaker.release();
          }
          return result;
        });
        // Coalescing: identical calls (same document and variables, so same IP and identity) share one answer.
        shared = {pending, abandon, waiting: 0};
        inFlight.set(key, shared);
        const entry = shared;
        void pending.finally(() => {
          if (inFlight.get(key) === entry) inFlight.delete(key);
        });
      }
      const entry = shared;
      entry.waiting++;
      let waiting = true;
      const stopWaiting = () => {
        if (!waiting) return;
        waiting = false;
        // The last one out turns off the light: work that nobody waits for any more is stopped.
        if (--entry.waiting === 0 && !entry.abandon.signal.aborted) {
          entry.abandon.abort();
          inFlight.delete(key);
        }
      };
      const unsubscribe = context.onGone?.(stopWaiting);
      try {
        return {...(await entry.pending), coalesced, ms: timers.now() - started};
      } finally {
        unsubscribe?.();
        if (waiting) {
          waiting = false;
          entry.waiting--;
        }
      }
    },
    get requests() {
      return requests;
    },
    get inFlight() {
      return slots.active;
    },
    get peakInFlight() {
      return slots.peak;
    },
  };
}

interface Shared {
  pending: Promise<Omit<UpstreamResult, 'coalesced' | 'ms'>>;
  abandon: AbortController;
  /** Askers still waiting for the answer. */
  waiting: number;
}

/** A counting semaphore whose waiters give up after `waitMs` or when their signal aborts (first come, first served). */
function createSlots(max: number) {
  let active = 0;
  let peak = 0;
  const queue: Array<() => void> = [];
  return {
    acquire(signal: AbortSignal, waitMs: number): Promise<boolean> {
      if (active < max) {
        peak = Math.max(peak, ++active);
        return Promise.resolve(true);
      }
      if (waitMs <= 0 || signal.aborted) return Promise.resolve(false);
      return new Promise((resolve) => {
        const done = (granted: boolean) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', giveUp);
          resolve(granted);
        };
        // Handed over by release(): the slot stays counted, it only changes hands.
        const grant = () => done(true);
        const giveUp = () => {
          const at = queue.indexOf(grant);
          if (at >= 0) queue.splice(at, 1);
          done(false);
        };
        const timer = setTimeout(giveUp, waitMs);
        signal.addEventListener('abort', giveUp, {once: true});
        queue.push(grant);
      });
    },
    release() {
      const next = queue.shift();
      if (next) next();
      else active--;
    },
    get active() {
      return active;
    },
    get peak() {
      return peak;
    },
  };
}

interface ExecutionResult {
  data?: unknown;
  errors?: unknown;
  /** `{"data": …}` cut from the body, when that is certainly the same JSON value (see dataText). */
  text?: string;
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
  return {data: body.data, errors: body.errors, text: dataText(text, body)};
}

const DATA_START = '{"data":';
const EMPTY_EXTENSIONS_END = ',"extensions":{}}';

/**
 * `{"data": …}` cut from the API's body, when it is certainly the same JSON value as `{data}` serialised
 * again: the body is compact and holds `data` first, then nothing or an empty `extensions` (what the API sends
 * on success), has no `\u` escape (the only other way to spell a key) and writes `"data"` and `"extensions"`
 * once, so no key is there twice and the cut holds `data` alone. Otherwise undefined.
 */
function dataText(text: string, body: Record<string, unknown>): string | undefined {
  if (!text.startsWith(DATA_START) || text.includes('"data"', 2) || text.includes('\\u')) return undefined;
  const names = Object.keys(body);
  if (names[0] !== 'data') return undefined;
  if (names.length === 1) return text;
  if (names.length !== 2 || !text.endsWith(EMPTY_EXTENSIONS_END)) return undefined;
  if (text.indexOf('"extensions"') !== text.length - EMPTY_EXTENSIONS_END.length + 1) return undefined;
  return `${text.slice(0, -EMPTY_EXTENSIONS_END.length)}}`;
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
