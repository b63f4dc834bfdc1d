import {html, nothing} from 'lit';
import {pageLocation, rememberPostalCode, usPostalCode} from '../../api/location.js';
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

  // The control's own state, private: set through #set, which renders again.
  #editing = false;
  /** What the shopper typed is not a US ZIP code (nothing was asked). */
  #invalid = false;
  /** Said politely after the shopper changed the place. */
  #announcement = '';

  #set(change: {editing?: boolean; invalid?: boolean; announcement?: string}) {
    this.#editing = change.editing ?? this.#editing;
    this.#invalid = change.invalid ?? this.#invalid;
    this.#announcement = change.announcement ?? this.#announcement;
    this.requestUpdate();
  }

  protected override renderControls() {
    if (!this.locationControl) return nothing;
    const zip = this.effectivePostalCode;
    const refused = this.diagnostics.reason === 'invalid_destination';
    return html`<div class="location" part="location" lang="en">
      ${
        this.#editing
          ? html`<form class="zip-form" novalidate @submit=${this.#submit} @keydown=${this.#keydown}>
              <label for="zip">Delivery ZIP code</label>
              <input
                id="zip"
                name="postal-code"
                autocomplete="postal-code"
                inputmode="numeric"
                maxlength="10"
                size="10"
                .value=${zip ?? ''}
                aria-invalid=${this.#invalid ? 'true' : 'false'}
                aria-describedby="zip-hint"
              />
              <button type="submit">Update</button>
              <button type="button" @click=${this.#close}>Cancel</button>
              <p id="zip-hint" class=${this.#invalid ? 'zip-error' : 'zip-hint'}>
                ${this.#invalid ? 'Enter a 5-digit ZIP code, like 98109.' : 'US ZIP code, like 98109.'}
              </p>
            </form>`
          : html`<span class="place"
                >${zip ? html`Delivering to <strong>${zip}</strong>` : 'Delivering to your area'}</span
              >
              ·
              <button
                type="button"
                class="change"
                aria-label=${zip ? 'Change delivery ZIP code' : 'Enter ZIP code for delivery'}
                @click=${this.#open}
              >
                ${zip ? 'Change' : 'Enter ZIP code'}
              </button>`
      }
      <p class="status" role="status">
        ${refused ? html`<span class="refused">Buy with Prime doesn't deliver to this ZIP code</span>` : nothing}
        <span class="visually-hidden">${this.#announcement}</span>
      </p>
    </div>`;
  }

  #open = async () => {
    this.#set({editing: true, invalid: false});
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#zip')?.focus();
  };

  #close = async () => {
    this.#set({editing: false, invalid: false});
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('.change')?.focus();
  };

  #keydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      void this.#close();
    }
  };

  #submit = (event: SubmitEvent) => {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#zip');
    const zip = usPostalCode(input?.value);
    // Checked here, before any request: the proxy would refuse it anyway.
    if (!zip) {
      this.#set({invalid: true});
      input?.focus();
      return;
    }
    try {
      if (this.postalCode) this.postalCode = zip;
      else pageLocation.set(zip);
      if (this.rememberPostalCode) rememberPostalCode(zip);
      this.#set({announcement: `Delivery promise updated for ZIP code ${zip}.`});
    } catch {
      // Never thrown for a checked ZIP code; the control must not break the page if it were.
      this.#set({invalid: true});
      return;
    }
    void this.#close();
  };

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
