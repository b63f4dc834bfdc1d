// Normalizers: the API's response shapes (every documented variant) into small view models. They never throw.
import {isErrorCode, type ErrorCode} from './protocol.js';
import type {GraphQLResponse, OfferView, ReturnsView} from './types.js';

type Json = Record<string, unknown>;

export const record = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
export const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;
/** A BCP 47 language tag such as en-US, or null: it becomes a `lang` attribute, so nothing else passes. */
export const languageTag = (value: unknown): string | null =>
  typeof value === 'string' && /^[a-z]{2,3}(-[a-z\d]{1,8})*$/i.test(value) ? value : null;
export const first = (value: unknown): unknown => (Array.isArray(value) ? value[0] : undefined);
/** The API sends booleans as true or "true" depending on the page of its docs. */
export const truthy = (value: unknown): boolean => value === true || value === 'true';

/** An ISO-8601 instant as ms since the epoch; null when absent or not a date. */
export function instant(value: unknown): number | null {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? ms : null;
}

/** A code from the closed set; anything else is `unavailable`. */
export const errorCode = (code: unknown): ErrorCode => (isErrorCode(code) ? code : 'unavailable');

/** The earliest of some instants (ms since the epoch); null when none is known. */
export const soonest = (...times: Array<number | null>) =>
  times.reduce<number | null>((min, t) => (t === null || (min !== null && min <= t) ? min : t), null);

/** The first error's code, or null when the response has none; unknown codes become `unavailable`. */
export function responseError(response: GraphQLResponse | unknown): ErrorCode | null {
  const errors = record(response)?.errors;
  if (errors === undefined || errors === null || (Array.isArray(errors) && errors.length === 0)) return null;
  return errorCode(record(record(first(errors))?.extensions)?.code);
}

/** The first error's `extensions.reason` (which "no" Amazon answered), when the proxy gave one. */
export function responseReason(response: GraphQLResponse | unknown): string | undefined {
  const reason = record(record(first(record(response)?.errors))?.extensions)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/** The three places a delivery offer keeps its parts: details, summary, and the PDP example's deliveryOfferSummary. */
const forms = (deliveryOffer: Json | undefined) => {
  const details = record(deliveryOffer?.details);
  const summary = record(deliveryOffer?.summary);
  const pdp = record(deliveryOffer?.deliveryOfferSummary);
  return {
    messages: [
      record(record(details?.policy)?.messaging),
      record(summary?.deliveryMessage),
      record(pdp?.deliveryMessage),
    ],
    terms: [details, summary, pdp].map((form) => record(form?.deliveryTerms)),
    expiries: [deliveryOffer?.expiresAt, details?.expiresAt],
  };
};

/** The return policy of a line item's reversal offer; null without a title. */
export function normalizeReturns(reversalOffers: unknown): ReturnsView | null {
  const summary = record(record(reversalOffers)?.summary);
  const title = text(record(summary?.title)?.value);
  if (!title) return null;
  const types = summary!.resolutionTypes;
  return {
    title,
    description: text(record(summary!.description)?.value),
    returnable: Array.isArray(types) && types.includes('RETURN'),
  };
}

/** One offers line item as a view model; null when it is not an object. */
export function normalizeLineItem(lineItem: unknown, offer?: Json): OfferView | null {
  const line = record(lineItem);
  if (!line) return null;
  const {messages, terms, expiries} = forms(record(line.deliveryOffer));
  const messaging = messages.find((m) => text(m?.messageText));
  const message = text(messaging?.messageText);
  const expiresAt = soonest(...[offer?.expiresAt, ...expiries].map(instant));
  return {
    offerId: text(offer?.id),
    prime: messaging?.badge === 'PRIME' && message !== null,
    primeEligible: terms.some((t) => truthy(t?.isPrimeEligible)),
    message,
    locale: languageTag(messaging?.locale),
    returns: normalizeReturns(line.reversalOffers),
    expiresAt,
  };
}

/** The first line item of a ProductOffers.v1 response as a view model; null when there is nothing to show. */
export function normalizeProductOffer(response: unknown): OfferView | null {
  const offers = record(record(record(response)?.data)?.offers);
  const node = record(record(first(offers?.edges))?.node);
  return normalizeLineItem(first(node?.lineItems), node);
}
