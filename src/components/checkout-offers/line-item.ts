import {ReactiveElement} from 'lit';
import {property} from 'lit/decorators.js';

/**
 * One cart line of the `<bwp-checkout-offers>` around it: data only, it renders nothing.
 * Its parent reads the attributes, so a property set here is reflected to its attribute.
 */
export class BwpLineItem extends ReactiveElement {
  /** Merchant SKU of the product. */
  @property({reflect: true}) sku?: string;

  /** Buy with Prime product id, used when no SKU is given. */
  @property({attribute: 'product-id', reflect: true}) productId?: string;

  /** How many the shopper is buying (default 1). */
  @property({type: Number, reflect: true}) quantity?: number;

  // Light DOM and no rendering: nothing to attach.
  protected override createRenderRoot() {
    return this;
  }
}
