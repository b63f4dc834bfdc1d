import {
  html,
  LitElement,
  nothing,
  type PropertyDeclarations,
  type PropertyValues,
  type TemplateResult,
} from 'lit';
import {proxyFor, type ProxyClient} from '../../api/client.js';
import {fetchProductOffer, productOfferVariables} from '../../api/product-offer.js';
import {QueryController} from '../../api/query.js';
import type {OfferView} from '../../api/types.js';
import {BwpErrorEvent, BwpLoadEvent, dispatchAfterUpdate} from './events.js';
import {stateOf, type ElementState} from './state.js';

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

  /** The offer query: inputs, freshness, abort and retry; `shown` is what is on screen. */
  protected readonly offer = new QueryController(this, {
    args: () => {
      const variables = productOfferVariables(this);
      return variables && {variables, endpoint: proxyFor(this).endpoint};
    },
    run: ({variables}, signal) => fetchProductOffer(proxyFor(this), variables, signal),
    clock: () => proxyFor(this).clock,
    expiresAt: (offer) => offer?.expiresAt ?? null,
    revisitAfterMs: () => (this.revisitAfter >= 0 ? this.revisitAfter * 1000 : 60_000),
    onSettled: () => this.#handleSettled(),
  });

  /** Set on the first settled render: later changes are announced politely, the first one is not. */
  #live = false;

  /** Fetches fresh offers now; the current one stays on screen until they arrive. */
  refresh(): void {
    this.offer.refresh();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('client')) this.offer.refresh();
  }

  protected override update(changed: PropertyValues<this>) {
    // After the controllers' hostUpdate, so a run the offer query just started counts as loading.
    this.state = this.#computeState();
    super.update(changed);
  }

  protected override render() {
    try {
      const fallback = html`<slot></slot>`;
      const pageLang = this.closest('[lang]')?.getAttribute('lang');
      const content = this.offer.render<unknown>({
        idle: () => nothing,
        // The previous offer stays while its replacement loads (no flash), the fallback when there is none.
        pending: (shown) => (shown === undefined ? fallback : this.#renderPrime(shown, pageLang)),
        complete: (offer) => this.#renderPrime(offer, pageLang),
        error: () => fallback,
      });
      const offer = this.offer.shown;
      return html`<div class="root" lang=${pageLang ? nothing : (offer?.locale ?? nothing)}>${content}</div>`;
    } catch {
      // Data that breaks rendering must not break the page: the fallback stays.
      return html`<slot></slot>`;
    }
  }

  protected override updated() {
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
    return stateOf(status, () => (status === 'error' ? 'error' : value?.prime ? 'ready' : 'empty'));
  }

  #handleSettled() {
    const {status, value, error} = this.offer;
    const event =
      status === 'error' ? new BwpErrorEvent(error!) : value?.prime ? new BwpLoadEvent(value) : null;
    if (event) dispatchAfterUpdate(this, event);
  }
}
