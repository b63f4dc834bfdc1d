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

const FAILURES: Partial<Record<ErrorCode, ErrorReason>> = {
  shopper_token_expired: 'sign_in_required',
  rate_limited: 'rate_limited',
  invalid_request: 'invalid_request',
  invalid_address: 'invalid_request',
};

// The proxy's (or the client's) reasons that say more than their code.
const DETAILS: ReadonlySet<string> = new Set<ErrorReason>([
  'origin_not_allowed',
  'unknown_document',
  'unreachable',
]);

/** The error reason for a failure to get an answer, from the request error's reason, else its code. */
export const failureReason = (code: ErrorCode, reason?: string | null): ErrorReason =>
  reason && DETAILS.has(reason) ? (reason as ErrorReason) : (FAILURES[code] ?? 'unavailable');
