import {html, nothing} from 'lit';
import type {OfferView} from '../../api/types.js';
import {primeBadge} from '../shared/prime-badge.js';
import {BwpProductElement} from '../shared/product-element.js';
import {productStyles} from '../shared/styles.js';
import {styles} from './offer-summary.styles.js';

/**
 * Tells the shopper, near the buy button, that a Prime product ships free, when it arrives and how it
 * can be returned; nothing when the product is not Prime.
 *
 * @slot - Fallback shown until offers load and kept if they fail.
 * @csspart headline - The Prime badge with "FREE Delivery & Returns" or "FREE delivery".
 * @csspart badge - The Prime badge (brand mark: not restylable beyond its size).
 * @csspart delivery - The delivery promise, Amazon's text unchanged.
 * @csspart returns - The return policy: Amazon's title, its description in a disclosure.
 * @cssproperty --bwp-color-text - Text colour of every element (system token).
 * @cssproperty --bwp-color-link - Colour of the return policy's disclosure (system token; default LinkText).
 * @cssproperty --bwp-offer-summary-color - Text colour.
 * @cssproperty --bwp-offer-summary-font - Font.
 * @cssproperty --bwp-offer-summary-gap - Space between the lines.
 * @cssproperty --bwp-offer-summary-headline-weight - Weight of the headline (default 700).
 * @cssproperty --bwp-offer-summary-link-color - Colour of the disclosure.
 * @cssproperty --bwp-offer-summary-reserve - Block size kept in every state (default three lines).
 * @fires bwp-load - Offers arrived and are shown; detail is the offer.
 * @fires bwp-error - Offers could not be loaded; detail.code says why; the fallback stays.
 */
export class BwpOfferSummary extends BwpProductElement {
  static override styles = [productStyles, styles];

  protected renderOffer(
    offer: OfferView,
    lang: {api: string | typeof nothing; own: string | typeof nothing},
  ) {
    const returns = offer.returns;
    // Amazon's rule (bwp-api.md §6.4): returnable items say "FREE Delivery & Returns", others "FREE delivery".
    return html`<div class="offer">
      <div class="headline" part="headline">
        ${primeBadge()}<span lang=${lang.own}
          >${returns?.returnable ? 'FREE Delivery & Returns' : 'FREE delivery'}</span
        >
      </div>
      <div part="delivery" lang=${lang.api}>${offer.message}</div>
      ${
        returns
          ? html`<div part="returns" lang=${lang.api}>
              ${
                returns.description
                  ? html`<details>
                      <summary>${returns.title}</summary>
                      <p>${returns.description}</p>
                    </details>`
                  : returns.title
              }
            </div>`
          : nothing
      }
    </div>`;
  }
}
