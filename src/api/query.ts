import type {Clock} from './clock.js';
import {shopperIdentity} from './identity.js';
import {RevisitController, type ControllerHost, type RevisitReason} from './revisit.js';
import type {ErrorCode} from './protocol.js';
import {BwpRequestError} from './types.js';

export interface QueryHost extends ControllerHost {
  requestUpdate(): void;
}

// The shopper is an input of every query: signing in or out refetches.
const keyOf = (args: unknown) => JSON.stringify([args, shopperIdentity.token]);

/** How long a value may stay on screen while its replacement loads (stale-while-revalidate), in ms. */
const STALE_MS = 5000;

/** `initial` until the first run is decided; `idle` while the inputs say there is nothing to fetch. */
export type QueryStatus = 'initial' | 'idle' | 'pending' | 'complete' | 'error';

/** Why the current run started: its inputs changed (or a refresh), or the shopper came back. */
export type QueryCause = 'input' | RevisitReason;

export interface QueryOptions<A, T> {
  /** The inputs, compared as JSON; null means there is nothing to fetch. */
  args: () => A | null;
  /** The run; a value returned at once (an input refused before any request) settles without pending. */
  run: (args: A, signal: AbortSignal) => T | Promise<T>;
  clock: () => Clock;
  /** How long the inputs must stay unchanged before a run starts, in ms; without it a run starts at once. */
  debounceMs?: () => number;
  /** When a value stops being valid (ms since the epoch); it is dropped and refetched then. */
  expiresAt?: (value: T) => number | null;
  /** How long the tab must have been hidden for its return to refetch, in ms. */
  revisitAfterMs?: () => number;
  /** After each settled run (complete or error), and when the query goes idle: for events. */
  onSettled?: () => void;
}

/** What `render` draws in each status; a missing one draws nothing (undefined). */
export interface QueryRenderers<T, R> {
  initial?: () => R;
  idle?: () => R;
  /** `shown` is the previous value while it may stay on screen, else undefined. */
  pending?: (shown: T | undefined) => R;
  complete?: (value: T) => R;
  error?: (code: ErrorCode) => R;
}

/**
 * Runs a query whenever its inputs or the shopper change, or the shopper comes back (see
 * RevisitController), after an optional debounce; aborts the run it supersedes; keeps the last
 * value on screen while a new one loads, for at most STALE_MS and never past its expiry.
 * Shaped like Lit's Task: the host draws with `render({pending, complete, error})`.
 */
export class QueryController<A, T> {
  status: QueryStatus = 'initial';
  /** The last value fetched, until it expires. */
  value: T | undefined;
  /** The code of the last failure, while status is 'error'. */
  error: ErrorCode | undefined;
  /** Why the last failure happened, when the request error said (BwpRequestError `reason`). */
  errorReason: string | undefined;
  /** The inputs of the current (or last) run; null while idle. */
  args: A | null = null;
  /** Why the next run (once it starts, the current one) is wanted. */
  cause: QueryCause = 'input';
  #key: string | undefined;
  #run: AbortController | undefined;
  #debounceTimer: unknown;
  #staleTimer: unknown;
  #stale = false;
  #fetchedAt = 0;
  #connected = false;
  readonly #revisit: RevisitController;

  readonly #host: QueryHost;
  readonly #options: QueryOptions<A, T>;

  constructor(host: QueryHost, options: QueryOptions<A, T>) {
    this.#host = host;
    this.#options = options;
    // Added first, so its listeners are up when hostConnected below sets an expiry timer.
    this.#revisit = new RevisitController(
      host,
      this.#handleRevisit,
      options.clock,
      options.revisitAfterMs ?? (() => 60_000),
    );
    host.addController(this);
  }

  /** What to show: the value, or while loading the previous one, unless it went stale. */
  get shown(): T | undefined {
    return this.status === 'pending' && this.#stale ? undefined : this.value;
  }

  /** Fetch again now (after the debounce, if any), keeping the current value on screen meanwhile. */
  refresh() {
    this.#request('input');
  }

  /** Reads `expiresAt` again: the host changed what the value's validity depends on (a choice). */
  watchExpiry() {
    this.#revisit.expireAt(this.#options.expiresAt?.(this.value as T) ?? null);
  }

  /** Draws the current status with its renderer (pending gets `shown`, complete the value, error the code). */
  render<R>(renderers: QueryRenderers<T, R>): R | undefined {
    const {status} = this;
    return renderers[status]?.((status === 'error' ? this.error : this.shown) as never);
  }

  hostConnected() {
    this.#connected = true;
    shopperIdentity.addEventListener('change', this.#handleShopper);
    const {expiresAt, revisitAfterMs} = this.#options;
    const at = this.value === undefined ? null : (expiresAt?.(this.value) ?? null);
    const now = this.#options.clock().now();
    // Back in a page after a while (SPA re-mount): what it showed may be old or expired.
    if ((at !== null && at <= now) || now - this.#fetchedAt >= (revisitAfterMs?.() ?? 60_000))
      this.#key = undefined;
    else this.#revisit.expireAt(at);
    if (this.#key === undefined) this.#host.requestUpdate();
  }

  hostDisconnected() {
    this.#connected = false;
    shopperIdentity.removeEventListener('change', this.#handleShopper);
    // A run waiting for its debounce or in flight is redone on return.
    if (this.#debounceTimer !== undefined || this.status === 'pending') {
      this.#key = undefined;
      this.#clearDebounce();
      this.#abort();
    }
  }

  hostUpdate() {
    const args = this.#options.args();
    const key = keyOf(args);
    if (key === this.#key) return;
    // A changed input (not a refresh, which cleared the key and set its own cause).
    if (this.#key !== undefined) this.cause = 'input';
    this.#key = key;
    if (this.#options.debounceMs) this.#wait();
    else this.#start(args);
  }

  #request(cause: QueryCause) {
    this.cause = cause;
    this.#key = undefined;
    // The wait starts now, not at the next update: a clock moved by hand in the same task must see it.
    if (this.#options.debounceMs) this.#wait();
    this.#host.requestUpdate();
  }

  /** (Re)starts the debounce; the run in flight, if any, goes on until the new one starts. */
  #wait() {
    this.#clearDebounce();
    // Nothing is scheduled while away; forgetting the key makes the return ask again.
    if (!this.#connected) return void (this.#key = undefined);
    this.#debounceTimer = this.#options.clock().setTimeout(() => {
      this.#debounceTimer = undefined;
      const args = this.#options.args();
      this.#key = keyOf(args);
      this.#start(args);
    }, this.#options.debounceMs!());
  }

  #clearDebounce() {
    this.#options.clock().clearTimeout(this.#debounceTimer);
    this.#debounceTimer = undefined;
  }

  #abort() {
    this.#run?.abort();
    this.#run = undefined;
    this.#setStaleTimer(false);
  }

  #setStaleTimer(on: boolean) {
    const clock = this.#options.clock();
    if (this.#staleTimer !== undefined) clock.clearTimeout(this.#staleTimer);
    this.#staleTimer = undefined;
    this.#stale = false;
    if (on)
      this.#staleTimer = clock.setTimeout(() => {
        this.#staleTimer = undefined;
        this.#stale = true;
        this.#host.requestUpdate();
      }, STALE_MS);
  }

  #start(args: A | null) {
    this.args = args;
    this.#abort();
    this.#revisit.expireAt(null);
    this.error = undefined;
    if (args === null) {
      this.status = 'idle';
      this.value = undefined;
      return this.#settle();
    }
    const run = (this.#run = new AbortController());
    let result: T | Promise<T>;
    try {
      result = this.#options.run(args, run.signal);
    } catch (error) {
      // A run that throws at once (e.g. an endpoint that is no URL) fails like a request: never into the page.
      return this.#fail(error);
    }
    if (!(result instanceof Promise)) return this.#complete(result);
    this.status = 'pending';
    if (this.value !== undefined) this.#setStaleTimer(true);
    this.#host.requestUpdate();
    result.then(
      (value) => {
        if (run === this.#run) this.#complete(value);
      },
      (error: unknown) => {
        if (run === this.#run) this.#fail(error);
      },
    );
  }

  #complete(value: T) {
    this.value = value;
    this.status = 'complete';
    this.#fetchedAt = this.#options.clock().now();
    this.#settle();
    // After onSettled: the host may keep what the expiry depends on (its own choice) there.
    this.watchExpiry();
  }

  #fail(error: unknown) {
    this.status = 'error';
    this.error = error instanceof BwpRequestError ? error.code : 'unavailable';
    this.errorReason = error instanceof BwpRequestError ? error.reason : undefined;
    this.#settle();
  }

  #settle() {
    this.#run = undefined;
    this.#setStaleTimer(false);
    this.#host.requestUpdate();
    this.#options.onSettled?.();
  }

  #handleShopper = () => this.#host.requestUpdate();

  #handleRevisit = (reason: RevisitReason) => {
    // An expired offer is never shown again; other revisits keep it while the new one loads.
    if (reason === 'expired') this.value = undefined;
    this.#request(reason);
  };
}
