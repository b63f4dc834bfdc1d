/**
 * The shopper's Login with Amazon access token, set by the page; held in memory only, never stored.
 * Elements listen for `change` and refetch.
 */
class ShopperIdentity extends EventTarget {
  #token: string | null = null;

  get token(): string | null {
    return this.#token;
  }

  /** Sets (or, with null, clears) the shopper's Login with Amazon access token. */
  set(token: string | null): void {
    const next = token || null;
    if (next === this.#token) return;
    this.#token = next;
    this.dispatchEvent(new Event('change'));
  }
}

export const shopperIdentity = new ShopperIdentity();

/** Page API: `setShopperToken(lwaAccessToken)` after sign-in, `setShopperToken(null)` after sign-out. */
export const setShopperToken = (token: string | null) => shopperIdentity.set(token);
