/**
 * Where the product-page elements ask Amazon's promise for: a US postal code (ZIP) instead of the
 * shopper's IP location. One page-wide value, set by the page (`setPostalCode`) or by the shopper in
 * an offer summary's location control; an element's own `postal-code` attribute wins over it.
 */

/** A US ZIP code: 5 digits, or ZIP+4 (the proxy checks the same). */
export const US_POSTAL_CODE = /^\d{5}(-\d{4})?$/;

/** The localStorage key a remembered postal code is kept under (only with `remember-postal-code`). */
export const POSTAL_CODE_STORAGE_KEY = 'bwp-postal-code';

/** The value as a US ZIP code, trimmed; null when it is not one. */
export function usPostalCode(value: unknown): string | null {
  const zip = typeof value === 'string' ? value.trim() : '';
  return US_POSTAL_CODE.test(zip) ? zip : null;
}

/** A postal code that is not a US ZIP code; `code` is stable for programs to test. */
export class BwpPostalCodeError extends TypeError {
  readonly code = 'invalid_postal_code';
  constructor() {
    super('setPostalCode takes a US ZIP code (12345 or 12345-6789) or null');
  }
}

/** The page-wide postal code; `change` fires when it changes. */
export class PageLocation extends EventTarget {
  #postalCode: string | null = null;
  /** The remembered value has been looked for on this page (once, so null stays null). */
  restored = false;

  get postalCode(): string | null {
    return this.#postalCode;
  }

  /** Sets (or with null clears) the page-wide postal code; throws BwpPostalCodeError for anything else. */
  set(zip: string | null): void {
    const next = zip === null || zip === '' ? null : usPostalCode(zip);
    if (next === null && zip !== null && zip !== '') throw new BwpPostalCodeError();
    if (next === this.#postalCode) return;
    this.#postalCode = next;
    this.dispatchEvent(new Event('change'));
  }
}

// One per page even when several bundles (say the badge's and the summary's CDN files) are loaded.
const KEY = Symbol.for('bwp-elements.page-location');
const scope = globalThis as {[KEY]?: PageLocation};
export const pageLocation: PageLocation = (scope[KEY] ??= new PageLocation());

/**
 * Page API: `setPostalCode('98109')` asks every product-page element without its own `postal-code`
 * for that ZIP code (all in one request); `setPostalCode(null)` goes back to the shopper's IP location.
 */
export const setPostalCode = (zip: string | null): void => pageLocation.set(zip);

/** The remembered postal code, if the merchant opted in and storage is readable. */
export function readRememberedPostalCode(): string | null {
  try {
    return usPostalCode(globalThis.localStorage?.getItem(POSTAL_CODE_STORAGE_KEY));
  } catch {
    // Storage can be blocked (privacy settings, sandboxed frames): nothing is remembered then.
    return null;
  }
}

/** Keeps (or with null forgets) the postal code across pages. */
export function rememberPostalCode(zip: string | null): void {
  try {
    if (zip) globalThis.localStorage?.setItem(POSTAL_CODE_STORAGE_KEY, zip);
    else globalThis.localStorage?.removeItem(POSTAL_CODE_STORAGE_KEY);
  } catch {
    // Blocked or full storage: the code still applies to this page.
  }
}
