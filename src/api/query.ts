import type {Clock} from './clock.js';
import {shopperIdentity} from './identity.js';
import {RevisitController, type ControllerHost, type RevisitReason} from './revisit.js';
import type {ErrorCode} from './protocol.js';
import {BwpRequestError} from './types.js';

export interface QueryHost extends ControllerHost {
  requestUpdate(): void;
}

/** How long a value may stay on screen while its replacement loads (stale-while-revalidate), in ms. */
const STALE_MS = 5000;

export type QueryStatus = 'idle' | 'pending' | 'complete' | 'error';

export interface QueryOptions<A, T> {
  /** The inputs, compared as JSON; null means there is nothing to fetch. */
  args: () => A | null;
  run: (args: A, signal: AbortSignal) => Promise<T>;
  clock: () => Clock;
  /** When a value stops being valid (ms since the epoch); it is dropped and refetched then. */
  expiresAt?: (value: T) => number | null;
  /** How long the tab must have been hidden for its return to refetch, in ms. */
  revisitAfterMs?: () => number;
  /** After each settled run (complete or error), for events. */
  onSettled?: () => void;
}

/**
 * Runs a query whenever its inputs or the shopper change, or the shopper comes back (see
 * RevisitController); aborts the run it supersedes; keeps the last value on screen while a new one
 * loads, for at most STALE_MS and never past its expiry.
 */
export class QueryController<A, T> {
  status: QueryStatus = 'idle';
  /** The last value fetched, until it expires. */
  value: T | undefined;
  /** The code of the last failure, while status is 'error'. */
  error: ErrorCode | undefined;
  #key: string | undefined;
  #run: AbortController | undefined;
  #staleTimer: unknown;
  #stale = false;
  #fetchedAt = 0;
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

  /** Fetch again now, keeping the current value on screen meanwhile. */
  refresh() {
    this.#key = undefined;
    this.#host.requestUpdate();
  }

  hostConnected() {
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
    shopperIdentity.removeEventListener('change', this.#handleShopper);
    if (this.status === 'pending') {
      this.#key = undefined;
      this.#abort();
    }
  }

  hostUpdate() {
    const args = this.#options.args();
    // The shopper is an input of every query: signing in or out refetches.
    const key = JSON.stringify([args, shopperIdentity.token]);
    if (key !== this.#key) {
      this.#key = key;
      this.#start(args);
    }
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
    this.#abort();
    this.#revisit.expireAt(null);
    this.error = undefined;
    if (args === null) {
      this.status = 'idle';
      this.value = undefined;
      return;
    }
    this.status = 'pending';
    if (this.value !== undefined) this.#setStaleTimer(true);
    const run = (this.#run = new AbortController());
    this.#options.run(args, run.signal).then(
      (value) => {
        if (run !== this.#run) return;
        this.value = value;
        this.status = 'complete';
        this.#fetchedAt = this.#options.clock().now();
        this.#revisit.expireAt(this.#options.expiresAt?.(value) ?? null);
        this.#settle();
      },
      (error: unknown) => {
        if (run !== this.#run) return;
        this.status = 'error';
        this.error = error instanceof BwpRequestError ? error.code : 'unavailable';
        this.#settle();
      },
    );
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
    this.refresh();
  };
}
