// Why an element is in its state: a closed set of reasons (reasons.ts), each with a hint in plain words.
import type {ErrorCode} from './protocol.js';
import type {DiagnosticReason, DiagnosticState, ErrorReason} from './reasons.js';

export {REASONS, answerReason} from './reasons.js';
export type {DiagnosticReason, DiagnosticState, EmptyReason, ErrorReason} from './reasons.js';

/** What an element says about itself: its state, why, and what to do about it. */
export interface Diagnostics {
  state: DiagnosticState;
  reason: DiagnosticReason;
  hint: string;
}

export const HINTS: Record<DiagnosticReason, string> = {
  loading: 'Asking the proxy.',
  prime_offer: 'Prime offer shown.',
  no_product: 'Set sku or product-id.',
  not_prime: 'Not a Buy with Prime product: nothing Prime may show.',
  out_of_stock: 'Out of stock at Amazon.',
  quantity_unavailable: 'Fewer in stock than the quantity; a smaller one may show.',
  unknown_product: 'Not in your Buy with Prime catalog: check sku or product-id.',
  invalid_destination: 'Buy with Prime does not deliver to this ZIP code.',
  invalid_postal_code: 'postal-code must be a US ZIP code (12345 or 12345-6789).',
  invalid_request: 'The proxy refused the request: check attributes and proxy version.',
  sign_in_required: 'Sign-in expired: call setShopperToken with a fresh token.',
  rate_limited: 'Too many requests: try refresh() later.',
  unavailable: 'No answer: check that the proxy runs at the endpoint.',
};

export const diagnose = (state: DiagnosticState, reason: DiagnosticReason): Diagnostics => ({
  state,
  reason,
  hint: HINTS[reason],
});

const FAILURES: Partial<Record<ErrorCode, ErrorReason>> = {
  shopper_token_expired: 'sign_in_required',
  rate_limited: 'rate_limited',
  invalid_request: 'invalid_request',
  invalid_address: 'invalid_request',
};

/** The error reason for a code that is a failure to get an answer. */
export const failureReason = (code: ErrorCode): ErrorReason => FAILURES[code] ?? 'unavailable';
