import type {ProxyClient} from './client.js';
import {answerReason, type EmptyReason} from './reasons.js';
import {PRODUCT_OFFERS} from './protocol.js';
import {normalizeProductOffer, responseError, responseReason} from './normalize.js';
import {BwpRequestError, type GraphQLResponse, type OfferView} from './types.js';

/** One product as a product page or card asks for it. */
export interface ProductRequest {
  sku?: string;
  productId?: string;
  quantity?: number;
  /** A US ZIP code to ask the promise for, instead of the shopper's IP location. */
  postalCode?: string | null;
}

/** The ProductOffers.v1 variables for a product; null when it names no product. */
export function productOfferVariables({sku, productId, quantity, postalCode}: ProductRequest) {
  const identifier = sku ? {sku} : productId ? {productId} : null;
  if (!identifier) return null;
  const value = Number.isInteger(quantity) && quantity! > 0 ? quantity! : 1;
  return {
    lineItems: [{product: {identifier}, amount: {unit: 'ONE', value}}],
    // A postal code only, never a street address: the proxy takes nothing more from a product page.
    ...(postalCode ? {location: {shippingAddress: {postalCode, countryCode: 'US'}}} : {}),
  };
}

/** Amazon's answer for a product: an offer, or why there is none (not Prime, out of stock, …). */
export interface ProductAnswer {
  offer: OfferView | null;
  /** Set when there is nothing Prime to show. */
  unavailable: EmptyReason | null;
}

/**
 * Fetches the offer for one product. Amazon saying no (out of stock, not Prime, unknown product, no
 * delivery there) is an answer; failing to get one rejects with BwpRequestError (code from the closed set).
 * An early request's answer already here (the CDN loader's) is given at once, not as a promise.
 */
export function fetchProductOffer(
  client: ProxyClient,
  variables: NonNullable<ReturnType<typeof productOfferVariables>>,
  signal?: AbortSignal,
): ProductAnswer | Promise<ProductAnswer> {
  const arrived = client.arrived(PRODUCT_OFFERS, variables);
  return arrived
    ? productAnswer(arrived)
    : client.request(PRODUCT_OFFERS, variables, signal).then(productAnswer);
}

function productAnswer(response: GraphQLResponse): ProductAnswer {
  const code = responseError(response);
  if (code) {
    const unavailable = answerReason(code, responseReason(response));
    if (unavailable) return {offer: null, unavailable};
    throw new BwpRequestError(code, responseReason(response));
  }
  const offer = normalizeProductOffer(response);
  return {offer, unavailable: offer?.prime ? null : 'not_prime'};
}
