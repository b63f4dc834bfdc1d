import type {ErrorCode, GraphQLResponse, OfferView, ReturnsView} from './types.js';

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'invalid_request',
  'not_found',
  'not_eligible',
  'invalid_address',
  'unsupported_destination',
  'shopper_token_expired',
  'rate_limited',
  'unavailable',
]);

type Json = Record<string, unknown>;

const record = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;
const first = (value: unknown): unknown => (Array.isArray(value) ? value[0] : undefined);

/** The first error's code, or null when the response has none; unknown codes become `unavailable`. */
export function responseError(response: GraphQLResponse): ErrorCode | null {
  const error = record(first(record(response)?.errors));
  if (!error) return null;
  const code = record(error.extensions)?.code;
  return typeof code === 'string' && ERROR_CODES.has(code) ? (code as ErrorCode) : 'unavailable';
}

/** Amazon's delivery message for a line item, from details.policy.messaging or either summary form. */
function deliveryMessage(deliveryOffer: Json | undefined): Json | undefined {
  return (
    record(record(record(deliveryOffer?.details)?.policy)?.messaging) ??
    record(record(deliveryOffer?.summary)?.deliveryMessage) ??
    record(record(deliveryOffer?.deliveryOfferSummary)?.deliveryMessage)
  );
}

function returns(reversalOffers: unknown): ReturnsView | null {
  const summary = record(record(reversalOffers)?.summary);
  const title = text(record(summary?.title)?.value);
  if (!summary || !title) return null;
  const types = Array.isArray(summary.resolutionTypes) ? summary.resolutionTypes : [];
  return {title, description: text(record(summary.description)?.value), returnable: types.includes('RETURN')};
}

/** The first line item of an offers response as a view model; null when there is nothing to show. */
export function normalizeProductOffer(response: unknown): OfferView | null {
  const offers = record(record(record(response)?.data)?.offers);
  const node = record(record(first(offers?.edges))?.node);
  const line = record(first(node?.lineItems));
  if (!line) return null;
  const messaging = deliveryMessage(record(line.deliveryOffer));
  const message = text(messaging?.messageText);
  return {
    offerId: text(node?.id),
    prime: messaging?.badge === 'PRIME' && message !== null,
    message,
    locale: text(messaging?.locale),
    returns: returns(line.reversalOffers),
  };
}
