// Why an element is in its state: the closed set of reasons, and the empty reason of an answer. DOM-free,
// and without the hints (diagnostics.ts), so the loader's data layer carries only what it classifies with.
import type {ErrorCode} from './protocol.js';

// Apart, so that the loader's data layer, which classifies answers with these only, carries no other list.
const EMPTY_REASONS = [
  'no_product',
  'no_address',
  'not_prime',
  'out_of_stock',
  'quantity_unavailable',
  'unknown_product',
  'invalid_destination',
] as const;

/** Every reason, by the state it explains. */
export const REASONS = {
  loading: ['loading'],
  ready: ['prime_offer', 'offers_shown'],
  // Amazon answered: there is nothing Prime to show for this product, here, now.
  empty: EMPTY_REASONS,
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

const EMPTY: ReadonlySet<string> = new Set(EMPTY_REASONS);

// Error codes that are Amazon's answer about the product, as the reason used when the proxy gave none.
const ANSWERS: Partial<Record<ErrorCode, EmptyReason>> = {
  not_found: 'unknown_product',
  not_eligible: 'not_prime',
  unsupported_destination: 'invalid_destination',
};

/**
 * The empty reason of an error that is Amazon's answer about the product (not Prime, out of stock, …),
 * from the proxy's `extensions.reason`, else from its code; null for failures to get an answer.
 */
export const answerReason = (code: ErrorCode, reason?: string | null): EmptyReason | null =>
  reason && EMPTY.has(reason) ? (reason as EmptyReason) : (ANSWERS[code] ?? null);
