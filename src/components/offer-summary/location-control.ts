import {adoptStyles, html, nothing, type LitElement} from 'lit';
import {pageLocation, rememberPostalCode, usPostalCode} from '../../api/location.js';
import {locationStyles} from './location-control.styles.js';
import type {BwpOfferSummary} from './offer-summary.js';

/**
 * The summary's location control ("Delivering to 98109 · Change", and the form to change it). Its own
 * module, which the summary imports the first time it shows it: most pages never use it, and none pays
 * for it then.
 */
export class LocationControl {
  #host: BwpOfferSummary;

  // The control's own state, private: set through #set, which renders the host again.
  #editing = false;
  /** What the shopper typed is not a US ZIP code (nothing was asked). */
  #invalid = false;
  /** Said politely after the shopper changed the place. */
  #announcement = '';

  constructor(host: BwpOfferSummary) {
    this.#host = host;
    // The host's styles were adopted when its shadow root was made; the control's join them now.
    if (host.renderRoot instanceof ShadowRoot)
      adoptStyles(host.renderRoot, [
        ...(host.constructor as typeof LitElement).elementStyles,
        locationStyles,
      ]);
  }

  #set(change: {editing?: boolean; invalid?: boolean; announcement?: string}) {
    this.#editing = change.editing ?? this.#editing;
    this.#invalid = change.invalid ?? this.#invalid;
    this.#announcement = change.announcement ?? this.#announcement;
    this.#host.requestUpdate();
  }

  /** The control for `zip`, the postal code the promise is asked for (null: the shopper's IP). */
  render(zip: string | null) {
    const refused = this.#host.diagnostics.reason === 'invalid_destination';
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
    await this.#host.updateComplete;
    this.#host.renderRoot.querySelector<HTMLInputElement>('#zip')?.focus();
  };

  #close = async () => {
    this.#set({editing: false, invalid: false});
    await this.#host.updateComplete;
    this.#host.renderRoot.querySelector<HTMLButtonElement>('.change')?.focus();
  };

  #keydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      void this.#close();
    }
  };

  #submit = (event: SubmitEvent) => {
    event.preventDefault();
    const host = this.#host;
    const input = host.renderRoot.querySelector<HTMLInputElement>('#zip');
    const zip = usPostalCode(input?.value);
    // Checked here, before any request: the proxy would refuse it anyway.
    if (!zip) {
      this.#set({invalid: true});
      input?.focus();
      return;
    }
    try {
      if (host.postalCode) host.postalCode = zip;
      else pageLocation.set(zip);
      if (host.rememberPostalCode) rememberPostalCode(zip);
      this.#set({announcement: `Delivery promise updated for ZIP code ${zip}.`});
    } catch {
      // Never thrown for a checked ZIP code; the control must not break the page if it were.
      this.#set({invalid: true});
      return;
    }
    void this.#close();
  };
}
