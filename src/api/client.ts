import {systemClock, type Clock} from './clock.js';
import {MAX_BATCH, SHOPPER_TOKEN_HEADER, type ErrorCode} from './protocol.js';
import {resolveEndpoint} from './endpoint.js';
import {shopperIdentity} from './identity.js';
import {responseReason} from './normalize.js';
import {BwpRequestError, type GraphQLResponse} from './types.js';

export interface ProxyClientOptions {
  /** Absolute URL of the proxy's GraphQL route. */
  endpoint: string;
  fetch?: typeof fetch;
  /** Most documents in one HTTP request (the proxy's batch limit). */
  maxBatch?: number;
  /** The shopper token to send; defaults to the page's shopperIdentity. */
  shopperToken?: () => string | null;
  /** Deadline of one HTTP attempt, in ms. */
  timeoutMs?: number;
  /** Base delay before the one retry, in ms; the real delay is 50–150 % of it (jitter). */
  retryDelayMs?: number;
  clock?: Clock;
  random?: () => number;
}

type Outcome = GraphQLResponse | BwpRequestError;

/** How long an early answer waits for the elements it was fetched for, in ms after it arrives. */
const EARLY_HOLD_MS = 10_000;

interface Early {
  outcome: Promise<Outcome>;
  /** Requests still expected to take it. */
  uses: number;
  /** The outcome, once it has arrived. */
  arrived?: Outcome;
}

interface Entry {
  key: string;
  operation: {documentId: string; variables: Record<string, unknown>};
  token: string | null;
  waiters: number;
  settle: (outcome: Outcome) => void;
  outcome: Promise<Outcome>;
  batch?: Batch;
}

interface Batch {
  entries: Entry[];
  controller?: AbortController;
  cancelled?: boolean;
  /** The last attempt got no HTTP answer (network error: proxy down, or a cross-origin refusal by CORS). */
  unreachable?: boolean;
}

/** Thrown inside a batch for failures worth one more try (network error, timeout, 5xx). */
const RETRY = Symbol();

const failure = (code: ErrorCode = 'unavailable', reason?: string) => new BwpRequestError(code, reason);

/**
 * Talks to one proxy endpoint. Requests made in the same task go out together in one HTTP request
 * (split by the batch limit); identical requests, queued or in flight, share one entry; a caller's
 * AbortSignal releases only that caller, and the HTTP request is aborted when nobody waits for it.
 * Each attempt has a deadline; network errors, timeouts and 5xx get one retry after a jittered delay.
 */
export class ProxyClient {
  readonly endpoint: string;
  readonly clock: Clock;
  #options: ProxyClientOptions;
  #entries = new Map<string, Entry>();
  #queue: Entry[] = [];
  #early = new Map<string, Early>();

  constructor(options: ProxyClientOptions) {
    this.endpoint = options.endpoint;
    this.clock = options.clock ?? systemClock;
    this.#options = options;
  }

  /** Runs one persisted document; resolves with the proxy's {data, errors}, rejects with BwpRequestError. */
  async request(
    documentId: string,
    variables: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<GraphQLResponse> {
    signal?.throwIfAborted();
    const key = this.#key(documentId, variables);
    const early = this.#early.get(key);
    if (early) {
      if (!--early.uses) this.#early.delete(key);
      return this.#await(early.outcome, signal);
    }
    const token = this.#token();
    let entry = this.#entries.get(key);
    if (!entry) {
      let settle!: Entry['settle'];
      const outcome = new Promise<Outcome>((resolve) => (settle = resolve));
      this.#entries.set(
        key,
        (entry = {key, operation: {documentId, variables}, token, waiters: 0, settle, outcome}),
      );
      // Batching window: everything asked for in this task (a grid's worth of elements) goes together.
      if (this.#queue.push(entry) === 1) setTimeout(() => this.flush());
    }
    const joined = entry;
    joined.waiters++;
    return this.#await(joined.outcome, signal, () => {
      if (!--joined.waiters) this.#abandon(joined);
    });
  }

  /**
   * Starts a request now for callers that are not there yet (elements whose code is still loading):
   * the next `uses` identical requests take its answer, or join it in flight, instead of asking again.
   * An answer nobody took is dropped EARLY_HOLD_MS after it arrived, so it never goes stale on screen.
   */
  prefetch(documentId: string, variables: Record<string, unknown>, uses = 1): void {
    const key = this.#key(documentId, variables);
    const held = this.#early.get(key);
    if (held) {
      held.uses += uses;
      return;
    }
    const outcome = this.request(documentId, variables).then(
      (response): Outcome => response,
      (error: unknown) => (error instanceof BwpRequestError ? error : failure()),
    );
    const early: Early = {outcome, uses};
    this.#early.set(key, early);
    void outcome.then((arrived) => {
      early.arrived = arrived;
      this.clock.setTimeout(() => {
        if (this.#early.get(key) === early) this.#early.delete(key);
      }, EARLY_HOLD_MS);
    });
  }

  /**
   * The answer of an early request (`prefetch`) if it has already arrived, taken as `request` would
   * take it (one use; a failure is thrown): an element defined after its answer came shows it in its
   * first render. Undefined when no such answer is here yet: then `request`.
   */
  arrived(documentId: string, variables: Record<string, unknown>): GraphQLResponse | undefined {
    const key = this.#key(documentId, variables);
    const early = this.#early.get(key);
    const outcome = early?.arrived;
    if (!early || !outcome) return undefined;
    if (!--early.uses) this.#early.delete(key);
    if (outcome instanceof BwpRequestError) throw outcome;
    return outcome;
  }

  #token = () => (this.#options.shopperToken ?? (() => shopperIdentity.token))();

  #key = (documentId: string, variables: Record<string, unknown>) =>
    JSON.stringify([documentId, variables, this.#token()]);

  /**
   * An answer shared with others: an aborted caller stops waiting (`left` is told), the answer goes on.
   */
  async #await(outcome: Promise<Outcome>, signal?: AbortSignal, left?: () => void): Promise<GraphQLResponse> {
    const value = await new Promise<Outcome>((resolve, reject) => {
      const leave = () => {
        left?.();
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', leave, {once: true});
      void outcome.then((result) => {
        signal?.removeEventListener('abort', leave);
        resolve(result);
      });
    });
    if (value instanceof BwpRequestError) throw value;
    return value;
  }

  /** Nobody waits for this entry any more: unsent, it leaves the queue; sent, its batch may be cancelled. */
  #abandon(entry: Entry) {
    const batch = entry.batch;
    if (!batch) {
      this.#queue = this.#queue.filter((e) => e !== entry);
      this.#forget(entry);
    } else if (batch.entries.every((e) => !e.waiters)) {
      batch.cancelled = true;
      batch.controller?.abort();
      // A later identical request must not join a cancelled one.
      batch.entries.forEach(this.#forget);
    }
  }

  #forget = (entry: Entry) => {
    if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
  };

  /**
   * Sends what is queued now, instead of at the end of the task. For a caller that knows it has queued
   * everything there is (the loader's early requests, ahead of the element code it imports next).
   */
  flush(): void {
    const queued = this.#queue;
    this.#queue = [];
    const max = this.#options.maxBatch ?? MAX_BATCH;
    // One HTTP request per shopper token (normally one), split by the batch limit.
    for (const token of new Set(queued.map((e) => e.token))) {
      const group = queued.filter((e) => e.token === token);
      for (let i = 0; i < group.length; i += max) void this.#send({entries: group.slice(i, i + max)});
    }
  }

  async #send(batch: Batch) {
    const {entries} = batch;
    let results: Outcome[];
    for (const entry of entries) entry.batch = batch;
    try {
      try {
        results = await this.#attempt(batch);
      } catch (error) {
        if (error !== RETRY || batch.cancelled) throw error;
        const jitter = 0.5 + (this.#options.random ?? Math.random)();
        await new Promise((resolve) =>
          this.clock.setTimeout(() => resolve(0), (this.#options.retryDelayMs ?? 400) * jitter),
        );
        results = await this.#attempt(batch);
      }
    } catch (error) {
      const failed =
        error instanceof BwpRequestError
          ? error
          : failure('unavailable', batch.unreachable ? 'unreachable' : undefined);
      results = entries.map(() => failed);
    }
    entries.forEach((entry, i) => {
      this.#forget(entry);
      entry.settle(results[i]!);
    });
  }

  /** One HTTP request for the batch: the proxy's results in order, or a thrown error. */
  async #attempt(batch: Batch): Promise<Outcome[]> {
    if (batch.cancelled) throw failure();
    const controller = (batch.controller = new AbortController());
    let timedOut = false;
    const timer = this.clock.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#options.timeoutMs ?? 8000);
    const {entries} = batch;
    const token = entries[0]!.token;
    const operations = entries.map((e) => e.operation);
    try {
      const response = await (this.#options.fetch ?? fetch)(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(token && {[SHOPPER_TOKEN_HEADER]: token}),
        },
        body: JSON.stringify(operations[1] ? operations : operations[0]),
        credentials: 'same-origin',
        signal: controller.signal,
      });
      batch.unreachable = false;
      const {status} = response;
      if (status > 499) throw RETRY;
      if (!response.ok)
        // The proxy's reason tells a refused origin or an unknown document from other refusals.
        throw failure(
          status === 429 ? 'rate_limited' : 'invalid_request',
          responseReason(await response.json().catch(() => null)),
        );
      const body: unknown = await response.json();
      const list = operations[1] ? body : [body];
      if (!Array.isArray(list) || list.length !== entries.length) throw failure();
      return list.map((item) =>
        typeof item == 'object' && item && !Array.isArray(item) ? (item as GraphQLResponse) : failure(),
      );
    } catch (error) {
      // A TypeError from fetch is a network failure; an abort is our deadline, or nobody waiting.
      if (error instanceof TypeError && !controller.signal.aborted) batch.unreachable = true;
      throw error === RETRY || timedOut || (error instanceof TypeError && !controller.signal.aborted)
        ? RETRY
        : error instanceof BwpRequestError
          ? error
          : failure();
    } finally {
      this.clock.clearTimeout(timer);
    }
  }
}

const clients = new Map<string, ProxyClient>();

/** An element's client: its own `client`, else the page's one for its endpoint (attribute, meta, default). */
export const proxyFor = (el: {client?: ProxyClient; endpoint: string; ownerDocument: Document}) =>
  el.client ?? clientFor(resolveEndpoint(el.endpoint, el.ownerDocument));

/** The page's one client for an endpoint. */
export function clientFor(endpoint: string): ProxyClient {
  let client = clients.get(endpoint);
  if (!client) clients.set(endpoint, (client = new ProxyClient({endpoint})));
  return client;
}
