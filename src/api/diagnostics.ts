// Why an element is in its state: a closed set of reasons, each with a hint in plain words.
import type {ErrorCode} from './protocol.js';

/** Every reason, by the state it explains. */
export const REASONS = {
  loading: ['loading'],
  ready: ['prime_offer', 'offers_shown'],
  // Amazon answered: there is nothing Prime to show for this product, here, now.
  empty: [
    'no_product',
    'no_address',
    'not_prime',
    'out_of_stock',
    'quantity_unavailable',
    'unknown_product',
    'invalid_destination',
  ],
  // No answer was had (or asked for): nothing is shown, the fallback stays.
  error: [
    'invalid_postal_code',
    'invalid_request',
    'sign_in_required',
    'origin_not_allowed',
    'unknown_document',
    'unreachable',
    'rate_limited',
    'unavailable',
  ],
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
  loading: 'Asking the proxy.',
  prime_offer: 'Prime offer shown.',
  offers_shown: 'Offers shown.',
  no_product: 'Set sku, product-id or line items.',
  no_address: 'Set shippingAddress.',
  not_prime: 'Not a Buy with Prime product: nothing Prime may show.',
  out_of_stock: 'Out of stock at Amazon.',
  quantity_unavailable: 'Fewer in stock than the quantity; a smaller one may show.',
  unknown_product: 'Not in your Buy with Prime catalog: check sku or product-id.',
  invalid_destination: 'Buy with Prime does not deliver to this ZIP code.',
  invalid_postal_code: 'postal-code must be a US ZIP code (12345 or 12345-6789).',
  invalid_request: 'Refused as invalid: check attributes and line items.',
  sign_in_required: 'Sign-in expired: call setShopperToken with a fresh token.',
  origin_not_allowed: "Add this page's origin to BWP_ALLOWED_ORIGINS.",
  unknown_document: 'Proxy older than the bundle: deploy both.',
  unreachable:
    'No answer: is the proxy up at endpoint? Cross-origin, a CORS refusal looks alike: see BWP_ALLOWED_ORIGINS.',
  rate_limited: 'Too many requests: try refresh() later.',
  unavailable: 'Amazon gave the proxy no answer: see /bwp/health.',
};

export const diagnose = (state: DiagnosticState, reason: DiagnosticReason): Diagnostics => ({
  state,
  reason,
  hint: HINTS[reason],
});

const EMPTY: ReadonlySet<string> = new Set(REASONS.empty);

// Error codes that are Amazon's answer about the product, as the reason used when the proxy gave none.
const ANSWERS: Partial<Record<ErrorCode, EmptyReason>> = {
  not_found: 'unknown_product',
  not_eligible: 'not_prime',
  unsupported_destination: 'invalid_destination',
};
const FAILURES: Partial<Record<ErrorCode, ErrorReason>> = {
  shopper_token_expired: 'sign_in_required',
  rate_limited: 'rate_limited',
  invalid_request: 'invalid_request',
  invalid_address: 'invalid_request',
};

/**
 * The empty reason of an error that is Amazon's answer about the product (not Prime, out of stock, …),
 * from the proxy's `extensions.reason`, else from its code; null for failures to get an answer.
 */
export const answerReason = (code: ErrorCode, reason?: string | null): EmptyReason | null =>
  reason && EMPTY.has(reason) ? (reason as EmptyReason) : (ANSWERS[code] ?? null);

// The proxy's (or the client's) reasons that say more than their code.
const DETAILS: ReadonlySet<string> = new Set<ErrorReason>([
  'origin_not_allowed',
  'unknown_document',
  'unreachable',
]);

/** The error reason for a failure to get an answer, from the request error's reason, else its code. */
export const failureReason = (code: ErrorCode, reason?: string | null): ErrorReason =>
  reason && DETAILS.has(reason) ? (reason as ErrorReason) : (FAILURES[code] ?? 'unavailable');
