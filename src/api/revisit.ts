import type {Clock} from './clock.js';

/** What a controller needs from its host; a Lit element is one (src/api imports no Lit). */
export interface ControllerHost {
  addController(controller: object): void;
}

/** Why fresh data is wanted. */
export type RevisitReason = 'pageshow' | 'visible' | 'online' | 'expired';

/**
 * Asks its host to refetch when the shopper comes back: the page restored from the back/forward
 * cache, the tab shown again after `revisitAfterMs` hidden, the network back online, or the moment
 * set by `expireAt` passing. Listeners and the timer exist only while the host is connected.
 */
export class RevisitController {
  #hiddenAt: number | null = null;
  #timer: unknown;
  #connected = false;
  readonly #onRevisit: (reason: RevisitReason) => void;
  readonly #clock: () => Clock;
  readonly #revisitAfterMs: () => number;

  constructor(
    host: ControllerHost,
    onRevisit: (reason: RevisitReason) => void,
    clock: () => Clock,
    revisitAfterMs: () => number,
  ) {
    this.#onRevisit = onRevisit;
    this.#clock = clock;
    this.#revisitAfterMs = revisitAfterMs;
    host.addController(this);
  }

  hostConnected() {
    this.#connected = true;
    addEventListener('pageshow', this.#handlePageShow);
    addEventListener('online', this.#handleOnline);
    document.addEventListener('visibilitychange', this.#handleVisibility);
  }

  hostDisconnected() {
    this.#connected = false;
    removeEventListener('pageshow', this.#handlePageShow);
    removeEventListener('online', this.#handleOnline);
    document.removeEventListener('visibilitychange', this.#handleVisibility);
    this.expireAt(null);
  }

  /** Revisit when `at` (ms since the epoch) passes; null cancels. Only while connected. */
  expireAt(at: number | null) {
    if (this.#timer !== undefined) this.#clock().clearTimeout(this.#timer);
    this.#timer = undefined;
    if (at === null || !this.#connected) return;
    const clock = this.#clock();
    this.#timer = clock.setTimeout(() => {
      this.#timer = undefined;
      this.#onRevisit('expired');
    }, at - clock.now());
  }

  #handlePageShow = (event: PageTransitionEvent) => {
    if (event.persisted) this.#onRevisit('pageshow');
  };

  #handleOnline = () => this.#onRevisit('online');

  #handleVisibility = () => {
    const now = this.#clock().now();
    if (document.visibilityState === 'hidden') this.#hiddenAt ??= now;
    else if (this.#hiddenAt !== null) {
      const away = now - this.#hiddenAt;
      this.#hiddenAt = null;
      if (away >= this.#revisitAfterMs()) this.#onRevisit('visible');
    }
  };
}
