import {
  html,
  LitElement,
  nothing,
  type PropertyDeclarations,
  type PropertyValues,
  type TemplateResult,
} from 'lit';
import {proxyFor, type ProxyClient} from '../../api/client.js';
import {
  diagnose,
  failureReason,
  type DiagnosticReason,
  type Diagnostics,
  type ErrorReason,
} from '../../api/diagnostics.js';
import {pageLocation, readRememberedPostalCode, usPostalCode} from '../../api/location.js';
import {fetchProductOffer, productOfferVariables, type ProductAnswer} from '../../api/product-offer.js';
import {QueryController} from '../../api/query.js';
import type {ErrorCode} from '../../api/protocol.js';
import type {OfferView} from '../../api/types.js';
import {explain} from './debug.js';
import {BwpEmptyEvent} from './empty-event.js';
import {ImpressionController} from './impression.js';
import {BwpErrorEvent, BwpLoadEvent, dispatchAfterUpdate} from './events.js';
import {stateOf, type ElementState} from './state.js';

/** bwp-error with the element's reason beside the code. */
function errorEvent(code: ErrorCode, reason: ErrorReason) {
  const event = new BwpErrorEvent(code);
  event.detail.reason = reason;
  return event;
}

const primary = (lang: string | null | undefined) => (lang ?? '').split('-')[0]!.toLowerCase();

/**
 * What <bwp-delivery-badge> and <bwp-offer-summary> share word for word: the product attributes,
 * the reflected state, the events, refresh() and the offer query. (A base class, not a controller,
 * because reactive properties live on the element.) Subclasses draw a Prime offer.
 */
export abstract class BwpProductElement extends LitElement {
  static override properties: PropertyDeclarations = {
    sku: {},
    productId: {attribute: 'product-id'},
    quantity: {type: Number},
    endpoint: {},
    state: {reflect: true},
    reserve: {reflect: true},
    revisitAfter: {type: Number, attribute: 'revisit-after'},
    postalCode: {attribute: 'postal-code'},
    rememberPostalCode: {type: Boolean, attribute: 'remember-postal-code'},
    client: {attribute: false},
  };

  /** Merchant SKU of the product. Nothing is fetched while it and productId are empty. */
  sku = '';

  /** Buy with Prime product id, used when no SKU is given. */
  productId = '';

  /** How many the shopper is buying; anything but a whole number from 1 counts as 1. */
  quantity = 1;

  /** URL of the merchant's proxy; defaults to `<meta name="bwp-endpoint">`, else /bwp/graphql. */
  endpoint = '';

  /** Read-only: loading, ready (an offer shown), empty (nothing to show) or error. */
  state: ElementState = 'loading';

  /** Space policy: by default the element keeps its size in every state; `none` reserves nothing. */
  declare reserve?: 'none';

  /** Seconds the tab must have been hidden for showing it again to fetch fresh offers. */
  revisitAfter = 60;

  /** A proxy client to use instead of the page's shared one (tests, custom transports). */
  declare client?: ProxyClient;

  /** US ZIP code to ask the promise for, instead of the page-wide one (setPostalCode) or the shopper's IP. */
  postalCode = '';

  /** Keep the shopper's postal code across pages (localStorage); off by default. */
  rememberPostalCode = false;

  /** The postal code the promise is asked for: the element's own, else the page-wide one; null for the IP. */
  protected get effectivePostalCode(): string | null {
    return this.postalCode ? usPostalCode(this.postalCode) : pageLocation.postalCode;
  }

  /** Read-only: why the element is in its state, and what to do about it. */
  get diagnostics(): Diagnostics {
    return diagnose(this.state, this.#reason());
  }

  /** The offer query: inputs, freshness, abort and retry; `shown` is what is on screen. */
  protected readonly offer = new QueryController<
    {variables: NonNullable<ReturnType<typeof productOfferVariables>>; endpoint: string},
    ProductAnswer
  >(this, {
    args: () => {
      // A postal-code attribute that is not a ZIP code asks nothing (state error, invalid_postal_code).
      if (this.#invalidPostalCode()) return null;
      const variables = productOfferVariables({
        sku: this.sku,
        productId: this.productId,
        quantity: this.quantity,
        postalCode: this.effectivePostalCode,
      });
      return variables && {variables, endpoint: proxyFor(this).endpoint};
    },
    run: ({variables}, signal) => fetchProductOffer(proxyFor(this), variables, signal),
    clock: () => proxyFor(this).clock,
    expiresAt: (answer) => answer?.offer?.expiresAt ?? null,
    revisitAfterMs: () => (this.revisitAfter >= 0 ? this.revisitAfter * 1000 : 60_000),
    onSettled: () => this.#handleSettled(),
  });

  constructor() {
    super();
    // bwp-impression: the Prime offer on screen, seen for a second.
    new ImpressionController(this, {
      offer: () => (this.state === 'ready' ? (this.offer.shown?.offer ?? null) : null),
      detail: () => ({
        sku: this.sku,
        productId: this.productId,
        message: this.offer.shown?.offer?.message ?? null,
      }),
      clock: () => proxyFor(this).clock,
    });
  }

  /** Set on the first settled render: later changes are announced politely, the first one is not. */
  #live = false;

  /** Fetches fresh offers now; the current one stays on screen until they arrive. */
  refresh(): void {
    this.offer.refresh();
  }

  override connectedCallback() {
    super.connectedCallback();
    pageLocation.addEventListener('change', this.#handleLocation);
    // Once per page, before the first request: a grid asks once, for the remembered place.
    if (this.rememberPostalCode && !pageLocation.restored) {
      pageLocation.restored = true;
      const remembered = readRememberedPostalCode();
      if (remembered && pageLocation.postalCode === null) pageLocation.set(remembered);
    }
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    pageLocation.removeEventListener('change', this.#handleLocation);
  }

  #handleLocation = () => {
    if (!this.postalCode) this.requestUpdate();
  };

  #invalidPostalCode = () => Boolean(this.postalCode) && !usPostalCode(this.postalCode);

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('client')) this.offer.refresh();
  }

  protected override update(changed: PropertyValues<this>) {
    // After the controllers' hostUpdate, so a run the offer query just started counts as loading.
    this.state = this.#computeState();
    const invalid = this.#invalidPostalCode() ? this.postalCode : null;
    if (invalid !== null && invalid !== this.#toldInvalid)
      dispatchAfterUpdate(this, errorEvent('invalid_request', 'invalid_postal_code'));
    this.#toldInvalid = invalid;
    super.update(changed);
  }

  /** The invalid postal code was announced by bwp-error (once per bad value, not once per render). */
  #toldInvalid: string | null = null;

  protected override render() {
    try {
      const fallback = html`<slot></slot>`;
      const pageLang = this.closest('[lang]')?.getAttribute('lang');
      const content =
        this.state === 'error'
          ? fallback
          : this.offer.render<unknown>({
              // The previous offer stays while its replacement loads (no flash), the fallback when there is none.
              pending: (shown) => (shown === undefined ? fallback : this.#renderPrime(shown.offer, pageLang)),
              complete: (answer) => this.#renderPrime(answer.offer, pageLang),
              error: () => fallback,
            });
      const offer = this.offer.shown?.offer;
      return html`<div class="root" lang=${pageLang ? nothing : (offer?.locale ?? nothing)}>${content}</div>
        ${this.renderControls()}`;
    } catch {
      // Data that breaks rendering must not break the page: the fallback stays.
      return html`<slot></slot>`;
    }
  }

  /** What a subclass shows after the offer, outside its live region, in every state (the location control). */
  protected renderControls(): unknown {
    return nothing;
  }

  protected override updated() {
    explain(this, () => ({
      sku: this.sku,
      productId: this.productId,
      quantity: this.quantity,
      postalCode: this.effectivePostalCode,
      endpoint: proxyFor(this).endpoint,
    }));
    if (!this.#live && (this.state === 'ready' || this.state === 'empty')) {
      this.#live = true;
      this.renderRoot.querySelector('.root')?.setAttribute('aria-live', 'polite');
    }
  }

  /** The Prime offer; `lang.api` for Amazon's text, `lang.own` for this element's own English words. */
  protected abstract renderOffer(
    offer: OfferView,
    lang: {api: string | typeof nothing; own: string | typeof nothing},
  ): TemplateResult;

  /** A Prime offer drawn; anything else (no offer, not Prime) draws nothing. */
  #renderPrime(offer: OfferView | null, pageLang: string | null | undefined) {
    if (!offer?.prime) return nothing;
    return this.renderOffer(offer, {
      // Amazon's text says which language it is in when the page's differs.
      api: pageLang && primary(offer.locale) !== primary(pageLang) ? (offer.locale ?? nothing) : nothing,
      own: primary(pageLang || offer.locale) === 'en' ? nothing : 'en',
    });
  }

  #computeState(): ElementState {
    const {status, value} = this.offer;
    if (this.#invalidPostalCode()) return 'error';
    return stateOf(status, () => (status === 'error' ? 'error' : value?.offer?.prime ? 'ready' : 'empty'));
  }

  #reason(): DiagnosticReason {
    const {status, value, error} = this.offer;
    if (this.#invalidPostalCode()) return 'invalid_postal_code';
    if (status === 'initial' || status === 'pending') return 'loading';
    if (status === 'error') return failureReason(error!, this.offer.errorReason);
    if (status === 'idle') return 'no_product';
    return value?.offer?.prime ? 'prime_offer' : (value?.unavailable ?? 'not_prime');
  }

  #handleSettled() {
    const {status, value, error} = this.offer;
    const event =
      status === 'error'
        ? errorEvent(error!, failureReason(error!, this.offer.errorReason))
        : value?.offer?.prime
          ? new BwpLoadEvent(value.offer)
          : new BwpEmptyEvent(value?.unavailable ?? 'not_prime');
    dispatchAfterUpdate(this, event);
  }
}
