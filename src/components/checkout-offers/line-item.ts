import {ReactiveElement} from 'lit';

/**
 * One cart line of the `<bwp-checkout-offers>` around it: data only, it renders nothing.
 * Its parent reads the attributes, so a property set here is reflected to its attribute.
 */
export class BwpLineItem extends ReactiveElement {
  static override properties = {
    sku: {reflect: true},
    productId: {attribute: 'product-id', reflect: true},
    quantity: {type: Number, reflect: true},
  };

  /** Merchant SKU of the product. */
  declare sku?: string;

  /** Buy with Prime product id, used when no SKU is given. */
  declare productId?: string;

  /** How many the shopper is buying (default 1). */
  declare quantity?: number;

  // Light DOM and no rendering: nothing to attach.
  protected override createRenderRoot() {
    return this;
  }
}
