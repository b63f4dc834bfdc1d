import type {ProxyClient} from './client.js';
import {PRODUCT_OFFERS} from './protocol.js';
import {normalizeProductOffer, responseError} from './normalize.js';
import {BwpRequestError, type OfferView} from './types.js';

/** One product as a product page or card asks for it. */
export interface ProductRequest {
  sku?: string;
  productId?: string;
  quantity?: number;
}

/** The ProductOffers.v1 variables for a product; null when it names no product. */
export function productOfferVariables({sku, productId, quantity}: ProductRequest) {
  const identifier = sku ? {sku} : productId ? {productId} : null;
  if (!identifier) return null;
  const value = Number.isInteger(quantity) && quantity! > 0 ? quantity! : 1;
  return {lineItems: [{product: {identifier}, amount: {unit: 'ONE', value}}]};
}

/** Fetches the offer for one product; rejects with BwpRequestError (code from the closed set). */
export async function fetchProductOffer(
  client: ProxyClient,
  variables: NonNullable<ReturnType<typeof productOfferVariables>>,
  signal?: AbortSignal,
): Promise<OfferView | null> {
  const response = await client.request(PRODUCT_OFFERS, variables, signal);
  const code = responseError(response);
  if (code) throw new BwpRequestError(code);
  return normalizeProductOffer(response);
}
