// Why an element is in its state: a closed set of reasons, each with a hint in plain words.
import type {ErrorCode} from './types.js';

/** Every reason, by the state it explains. */
export const REASONS = {
  loading: ['loading'],
  ready: ['prime_offer'],
  // Amazon answered: there is nothing Prime to show for this product, here, now.
  empty: [
    'no_product',
    'not_prime',
    'out_of_stock',
    'quantity_unavailable',
    'unknown_product',
    'invalid_destination',
  ],
  // No answer was had (or asked for): nothing is shown, the fallback stays.
  error: ['invalid_postal_code', 'invalid_request', 'sign_in_required', 'rate_limited', 'unavailable'],
} as const;

export type DiagnosticState = keyof typeof REASONS;
export type EmptyReason = (typeof REASONS.empty)[number];
export type ErrorReason = (typeof REASONS.error)[number];
export type DiagnosticReason = (typeof REASONS)[DiagnosticState][number];

/** What an element says about itself: its state, why, and what to do about it. */
export interface Diagnostics {
  state: DiagnosticState;
  reason: DiagnosticReason;
  hint: string;
}

export const HINTS: Record<DiagnosticReason, string> = {
  loading: 'Asking the proxy for the offer.',
  prime_offer: 'The Prime badge and Amazon’s delivery promise are shown.',
  no_product: 'Give the element a sku or product-id attribute.',
  not_prime: 'The product does not offer Buy with Prime: nothing Prime may be shown for it.',
  out_of_stock: 'Amazon has none in stock: nothing Prime is shown until stock comes back.',
  quantity_unavailable: 'Amazon has fewer in stock than the quantity asked for; a smaller quantity may show.',
  unknown_product:
    'Amazon does not know this product: check that the sku or product-id is in your Buy with Prime catalog.',
  invalid_destination:
    'Buy with Prime does not deliver to this ZIP code (US territories and military addresses).',
  invalid_postal_code:
    'The postal-code attribute is not a US ZIP code (12345 or 12345-6789): nothing was asked.',
  invalid_request: 'The proxy refused the request: check the attributes, and that proxy and bundle match.',
  sign_in_required: 'The shopper’s sign-in expired: sign them in again and call setShopperToken.',
  rate_limited: 'The proxy or Amazon is limiting requests: offers come back on a later visit or refresh().',
  unavailable: 'The proxy or Amazon did not answer: check that the proxy runs and the endpoint points at it.',
};

export const diagnose = (state: DiagnosticState, reason: DiagnosticReason): Diagnostics => ({
  state,
  reason,
  hint: HINTS[reason],
});

const EMPTY: ReadonlySet<string> = new Set(REASONS.empty);

/**
 * The empty reason of an error that is Amazon's answer about the product (not Prime, out of stock, …),
 * from the proxy's `extensions.reason`, else from its code; null for failures to get an answer.
 */
export function answerReason(code: ErrorCode, reason?: string | null): EmptyReason | null {
  if (reason && EMPTY.has(reason)) return reason as EmptyReason;
  switch (code) {
    case 'not_found':
      return 'unknown_product';
    case 'not_eligible':
      return 'not_prime';
    case 'unsupported_destination':
      return 'invalid_destination';
    default:
      return null;
  }
}

/** The error reason for a code that is a failure to get an answer. */
export function failureReason(code: ErrorCode): ErrorReason {
  switch (code) {
    case 'shopper_token_expired':
      return 'sign_in_required';
    case 'rate_limited':
      return 'rate_limited';
    case 'invalid_request':
    case 'invalid_address':
      return 'invalid_request';
    default:
      return 'unavailable';
  }
}
