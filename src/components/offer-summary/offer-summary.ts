import {html, nothing} from 'lit';
import type {OfferView} from '../../api/types.js';
import {primeBadge} from '../shared/prime-badge.js';
import {BwpProductElement} from '../shared/product-element.js';
import {productStyles} from '../shared/styles.js';
import type {LocationControl} from './location-control.js';
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
 * @csspart location - With `location-control`: where the promise is for, and the control to change it.
 * @cssproperty --bwp-color-text - Text colour of every element (system token).
 * @cssproperty --bwp-color-link - Colour of the return policy's disclosure (system token; default LinkText).
 * @cssproperty --bwp-offer-summary-color - Text colour.
 * @cssproperty --bwp-offer-summary-font - Font.
 * @cssproperty --bwp-offer-summary-gap - Space between the lines.
 * @cssproperty --bwp-offer-summary-headline-weight - Weight of the headline (default 700).
 * @cssproperty --bwp-offer-summary-link-color - Colour of the disclosure.
 * @cssproperty --bwp-offer-summary-reserve - Block size of the offer, kept in every state (default three lines; the location control adds one).
 * @cssproperty --bwp-offer-summary-error-color - Colour of the location control's messages (default #b12704).
 * @fires bwp-load - Offers arrived and are shown; detail is the offer.
 * @fires bwp-error - Offers could not be loaded; detail.code says why; the fallback stays.
 * @fires bwp-empty - Amazon answered with nothing Prime to show; detail.reason says why (out of stock, …).
 * @fires bwp-impression - The Prime offer was seen (half the element visible for 1 s); detail {sku, productId, message}.
 * @attr debug - Write each change of `diagnostics` to the console (also `<meta name="bwp-debug" content="on">`).
 */
export class BwpOfferSummary extends BwpProductElement {
  static override styles = [productStyles, styles];
  static override properties = {
    locationControl: {type: Boolean, attribute: 'location-control', reflect: true},
  };

  /** Show where the promise is for ("Delivering to 98109 · Change") and let the shopper change it; off by default. */
  locationControl = false;

  /** The control, once its code has arrived; the promise of that code while it is on its way. */
  #control?: LocationControl;
  #controlLoading?: Promise<void>;

  protected override renderControls() {
    if (!this.locationControl) return nothing;
    if (this.#control) return this.#control.render(this.effectivePostalCode);
    // Its space is reserved from the first paint (styles), so the control arrives without moving anything.
    this.#controlLoading ??= import('./location-control.js').then(
      ({LocationControl}) => {
        this.#control = new LocationControl(this);
        this.requestUpdate();
      },
      () => {
        // Its file did not load: the summary goes on without it, and a later render asks again.
        this.#controlLoading = undefined;
      },
    );
    return nothing;
  }

  /** Complete once the location control, when on, has arrived and rendered too. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let complete = await super.getUpdateComplete();
    while (this.#controlLoading && !this.#control && this.locationControl) {
      await this.#controlLoading;
      complete = await super.getUpdateComplete();
    }
    return complete;
  }

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
