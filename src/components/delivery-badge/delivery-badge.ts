import {html, LitElement, nothing, type PropertyValues} from 'lit';
import {property} from 'lit/decorators.js';
import {TaskStatus} from '@lit/task';
import type {ProxyClient} from '../../api/client.js';
import type {OfferView} from '../../api/types.js';
import {BwpErrorEvent, BwpLoadEvent} from '../shared/events.js';
import {primeBadge} from '../shared/prime-badge.js';
import {ProductOfferController, type ElementState} from '../shared/product-offer-controller.js';
import {styles} from './delivery-badge.styles.js';

/**
 * Shows the Prime badge and Amazon's delivery promise for a product, and nothing when it is not Prime.
 *
 * @slot - Fallback shown until the offer loads and kept if it fails.
 * @csspart badge - The Prime badge (brand mark: not restylable beyond its size).
 * @csspart delivery - The delivery promise, Amazon's text unchanged.
 * @cssproperty --bwp-delivery-badge-gap - Space between the badge and the promise.
 * @cssproperty --bwp-delivery-badge-color - Colour of the promise text.
 * @cssproperty --bwp-delivery-badge-font - Font of the promise text.
 * @fires bwp-load - The offer arrived and is shown; detail is the offer.
 * @fires bwp-error - The offer could not be loaded; detail.code says why.
 */
export class BwpDeliveryBadge extends LitElement {
  static override styles = styles;

  /** Merchant SKU of the product. Nothing is fetched while it and productId are empty. */
  @property() sku = '';

  /** Buy with Prime product id, used when no SKU is given. */
  @property({attribute: 'product-id'}) productId = '';

  /** How many the shopper is buying. */
  @property({type: Number}) quantity = 1;

  /** URL of the merchant's proxy; defaults to `<meta name="bwp-endpoint">`, else /bwp/graphql. */
  @property() endpoint = '';

  /** Read-only: loading, ready (badge shown), empty (nothing to show) or error. */
  @property({reflect: true}) state: ElementState = 'loading';

  /** A proxy client to use instead of the page's shared one (tests, custom transports). */
  @property({attribute: false}) client?: ProxyClient;

  private readonly offer = new ProductOfferController(
    this,
    () => ({
      sku: this.sku,
      productId: this.productId,
      quantity: this.quantity,
      endpoint: this.endpoint,
      client: this.client,
    }),
    {
      onComplete: (offer) => {
        if (offer?.prime) void this.updateComplete.then(() => this.dispatchEvent(new BwpLoadEvent(offer)));
      },
      onError: (code) => void this.updateComplete.then(() => this.dispatchEvent(new BwpErrorEvent(code))),
    },
  );

  protected override update(changed: PropertyValues<this>) {
    // After the controllers' hostUpdate, so a run the offer task just started counts as loading.
    this.state = this.computeState();
    super.update(changed);
  }

  protected override render() {
    switch (this.offer.status) {
      case TaskStatus.COMPLETE:
        return this.offer.value?.prime ? this.renderOffer(this.offer.value) : nothing;
      case TaskStatus.ERROR:
        return html`<slot></slot>`;
      default:
        return this.offer.last?.prime ? this.renderOffer(this.offer.last) : html`<slot></slot>`;
    }
  }

  private computeState(): ElementState {
    if (!this.sku && !this.productId) return 'empty';
    switch (this.offer.status) {
      case TaskStatus.COMPLETE:
        return this.offer.value?.prime ? 'ready' : 'empty';
      case TaskStatus.ERROR:
        return 'error';
      default:
        return 'loading';
    }
  }

  private renderOffer(offer: OfferView) {
    return html`<span class="offer">${primeBadge()}<span part="delivery">${offer.message}</span></span>`;
  }
}
