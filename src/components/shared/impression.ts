import type {ReactiveController, ReactiveControllerHost} from 'lit';
import type {Clock} from '../../api/clock.js';

/** What `bwp-impression` tells: the product and Amazon's promise that was seen. */
export interface ImpressionDetail {
  sku: string;
  productId: string;
  message: string | null;
}

/** A Prime offer was seen: at least half the element visible for one second. */
export class BwpImpressionEvent extends CustomEvent<ImpressionDetail> {
  constructor(detail: ImpressionDetail) {
    super('bwp-impression', {detail, bubbles: true, composed: true});
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'bwp-impression': BwpImpressionEvent;
  }
}

export interface ImpressionOptions {
  /** The Prime offer on screen, or null; a new object is a new offer. */
  offer: () => object | null;
  detail: () => ImpressionDetail;
  clock: () => Clock;
}

/** The common viewability rule: half the element, for one second. */
const RATIO = 0.5;
const DWELL_MS = 1000;

/**
 * Fires `bwp-impression` once per shown offer: `offer()` is the Prime offer on screen (a new object is a new
 * offer) or null. An IntersectionObserver watches the host while an unseen offer is shown; the second is
 * counted on the injected clock, so tests move time by hand.
 */
export class ImpressionController implements ReactiveController {
  #observer?: IntersectionObserver;
  #timer: unknown;
  /** The offer being watched, and the last one announced. */
  #watched: object | null = null;
  #seen: object | null = null;

  readonly host: ReactiveControllerHost & HTMLElement;
  readonly #options: ImpressionOptions;

  constructor(host: ReactiveControllerHost & HTMLElement, options: ImpressionOptions) {
    this.host = host;
    this.#options = options;
    host.addController(this);
  }

  hostUpdated() {
    const offer = this.#options.offer();
    if (offer === this.#watched) return;
    this.#stop();
    if (!offer || offer === this.#seen || typeof IntersectionObserver != 'function') return;
    this.#watched = offer;
    this.#observer = new IntersectionObserver(
      (entries) => {
        const entry = entries[entries.length - 1]!;
        if (entry.isIntersecting && entry.intersectionRatio >= RATIO)
          this.#timer ??= this.#clock().setTimeout(this.#fire, DWELL_MS);
        else this.#cancel();
      },
      {threshold: RATIO},
    );
    this.#observer.observe(this.host);
  }

  hostDisconnected() {
    this.#stop();
  }

  #clock = () => this.#options.clock();

  #fire = () => {
    this.#timer = undefined;
    const host = this.host;
    // A hidden element or tab (visibility, opacity) is not seen, whatever its geometry says.
    if (
      host.ownerDocument.hidden ||
      host.checkVisibility?.({opacityProperty: true, visibilityProperty: true}) === false
    )
      return;
    this.#seen = this.#watched;
    this.#stop();
    host.dispatchEvent(new BwpImpressionEvent(this.#options.detail()));
  };

  #cancel() {
    if (this.#timer !== undefined) this.#clock().clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #stop() {
    this.#cancel();
    this.#observer?.disconnect();
    this.#observer = undefined;
    this.#watched = null;
  }
}
