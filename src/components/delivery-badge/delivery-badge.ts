import {html, nothing} from 'lit';
import type {OfferView} from '../../api/types.js';
import {primeBadge} from '../shared/prime-badge.js';
import {BwpProductElement} from '../shared/product-element.js';
import {productStyles} from '../shared/styles.js';
import {styles} from './delivery-badge.styles.js';

/**
 * Shows the Prime badge and Amazon's delivery promise for a product, and nothing when it is not Prime.
 *
 * @slot - Fallback shown until the offer loads and kept if it fails.
 * @csspart badge - The Prime badge (brand mark: not restylable beyond its size).
 * @csspart delivery - The delivery promise, Amazon's text unchanged.
 * @cssproperty --bwp-color-text - Text colour of every element (system token).
 * @cssproperty --bwp-delivery-badge-color - Colour of the promise text.
 * @cssproperty --bwp-delivery-badge-font - Font of the promise text.
 * @cssproperty --bwp-delivery-badge-gap - Space between the badge and the promise.
 * @cssproperty --bwp-delivery-badge-reserve - Block size kept in every state (default one line; compact: the lines the longest promise takes at its width).
 * @cssproperty --bwp-delivery-badge-compact-size - Font size of the compact variant (default 0.875em).
 * @fires bwp-load - The offer arrived and is shown; detail is the offer.
 * @fires bwp-error - The offer could not be loaded; detail.code says why, detail.reason in more words.
 * @fires bwp-empty - Amazon answered with nothing Prime to show; detail.reason says why (out of stock, …).
 * @fires bwp-impression - The Prime offer was seen (half the element visible for 1 s); detail {sku, productId, message}.
 * @attr debug - Write each change of `diagnostics` to the console (also `<meta name="bwp-debug" content="on">`).
 */
export class BwpDeliveryBadge extends BwpProductElement {
  static override styles = [productStyles, styles];
  static override properties = {variant: {reflect: true}};

  /** `inline` (product pages) or `compact` (product cards: smaller, the promise wraps, never cut). */
  variant: 'inline' | 'compact' = 'inline';

  protected renderOffer(offer: OfferView, lang: {api: string | typeof nothing}) {
    return html`<span class="offer"
      >${primeBadge()}<span part="delivery" lang=${lang.api}>${offer.message}</span></span
    >`;
  }
}
