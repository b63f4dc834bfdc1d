// The wire contract between the elements, the proxy, the sandbox and the demo backend, written once. No DOM and
// no Lit: browser and server code import it alike (docs/architecture.md, "Import rules").

// Ids of the persisted documents the proxy knows (server/operations holds the documents themselves).
// Plain constants, not an object, so the bundle inlines them.
export const PRODUCT_OFFERS = 'ProductOffers.v1';
export const CHECKOUT_OFFERS = 'CheckoutOffers.v1';
export const DELIVERY_PREVIEW = 'DeliveryPreview.v1';

/** Request header carrying the shopper's Login with Amazon access token to the proxy. */
export const SHOPPER_TOKEN_HEADER = 'x-bwp-shopper-token';
/** Longest shopper token the proxy and the demo backend accept. */
export const MAX_SHOPPER_TOKEN_LENGTH = 2048;

/** Error codes the proxy answers with and the elements report (`bwp-error` detail `code`): a closed set. */
export const ERROR_CODES = [
  'invalid_request',
  'not_found',
  'not_eligible',
  'invalid_address',
  'unsupported_destination',
  'shopper_token_expired',
  'rate_limited',
  'unavailable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const isErrorCode = (value: unknown): value is ErrorCode =>
  (ERROR_CODES as readonly unknown[]).includes(value);

/** The API's limits on one order: 20 Buy with Prime lines and 20 others; offers take at most 40 lines. */
export const MAX_PRIME_LINES = 20;
export const MAX_OTHER_LINES = 20;
export const MAX_LINES = MAX_PRIME_LINES + MAX_OTHER_LINES;
/** The largest quantity of one line. */
export const MAX_QUANTITY = 999;
/** Most documents in one batched request to the proxy. */
export const MAX_BATCH = 50;

/** The fields of a shipping address, in the order they are sent (anything else on the page's object is not). */
export const ADDRESS_FIELDS = [
  'name',
  'streetAddress',
  'locality',
  'region',
  'postalCode',
  'countryCode',
] as const;

/** The recipient's address; orders must carry exactly the address their offers were made for. */
export type ShippingAddress = Record<(typeof ADDRESS_FIELDS)[number], string>;

export interface Money {
  amount: number;
  currencyCode: string;
}

/** One line as createOrder needs it. */
export interface SelectedLine {
  sku?: string;
  productId?: string;
  quantity: number;
  /** createOrder `selectedDeliveryOffer.details.deliveryPreviewId`; null when not a Prime delivery. */
  deliveryPreviewId: string | null;
  /** createOrder `selectedDeliveryOffer.details.id`; null when not a Prime delivery. */
  deliveryOfferId: string | null;
  isPrimeEligible: boolean;
  deliveryProvider: string;
  deliverySpeed: string | null;
  /** What the shopper was shown for this line: Amazon's promise and the delivery price. */
  messageText: string | null;
  deliveryPrice: Money | null;
}

/** What the shopper chose: everything createOrderFromOffer (offerId) or createOrder (lines) needs. */
export interface CheckoutSelection {
  /** The offers node id (createOrderFromOffer `baseOfferId`). */
  offerId: string | null;
  /** The address the offers were made for; an order with another address fails with AddressMismatch. */
  shippingAddress: ShippingAddress;
  lines: SelectedLine[];
}
