// The errors the proxy gives the browser (codes from the wire contract, src/api/protocol.ts) and the mapping
// from the API's classifications.
import type {ErrorCode} from '../../src/api/protocol.ts';

const MESSAGES: Record<ErrorCode, string> = {
  invalid_request: 'The request is not valid.',
  not_found: 'The product was not found.',
  not_eligible: 'The product cannot be delivered with Buy with Prime.',
  invalid_address: 'The shipping address is incomplete or not valid.',
  unsupported_destination: 'Buy with Prime does not deliver to this destination.',
  shopper_token_expired: 'The shopper needs to sign in again.',
  rate_limited: 'Too many requests; try again shortly.',
  unavailable: 'Delivery information is unavailable right now.',
};

/**
 * Why a request was refused, in more detail than its code: a fixed, proxy-authored vocabulary (never
 * text from the request or from the upstream), for merchants reading responses and logs.
 */
export type RefusalReason =
  | 'body_too_large'
  | 'batch_too_large'
  | 'empty_batch'
  | 'malformed_json'
  | 'too_deep'
  | 'unsupported_media_type'
  | 'method_not_allowed'
  | 'origin_not_allowed'
  | 'query_not_allowed'
  | 'unknown_document'
  | 'invalid_variables'
  | 'invalid_shopper_token'
  | 'rate_limited'
  | 'circuit_open'
  | 'overloaded'
  | 'upstream_timeout'
  | 'upstream_failed'
  | 'token_unavailable'
  | 'identity_unavailable';

/**
 * Which "no" Amazon answered for a product, when the code alone does not say: the elements show these as
 * `empty` (Amazon answered) rather than `error` (no answer), with the reason in their diagnostics.
 */
export type AnswerReason =
  'out_of_stock' | 'quantity_unavailable' | 'not_prime' | 'unknown_product' | 'invalid_destination';

export interface BrowserError {
  message: string;
  extensions: {code: ErrorCode; reason?: RefusalReason | AnswerReason; lineIndex?: number; field?: string};
}

export interface ErrorDetail {
  reason?: RefusalReason | AnswerReason;
  /** Index of the line item (or product) the error is about, when it is known. */
  lineIndex?: number;
  /** Proxy-made path of the invalid variable, e.g. `lineItems[2].amount.value`. */
  field?: string;
}

export const browserError = (code: ErrorCode, detail: ErrorDetail = {}): BrowserError => ({
  message: MESSAGES[code],
  extensions: {
    code,
    ...(detail.reason ? {reason: detail.reason} : {}),
    ...(detail.lineIndex !== undefined ? {lineIndex: detail.lineIndex} : {}),
    ...(detail.field ? {field: detail.field} : {}),
  },
});

/** A refusal of a whole request: an HTTP status and one browser error. */
export class Refusal extends Error {
  constructor(
    readonly status: 400 | 403 | 405 | 413 | 415 | 429 | 503,
    readonly code: ErrorCode,
    readonly reason: RefusalReason,
    readonly headers: Record<string, string> = {},
  ) {
    super(reason);
  }
}

export interface UpstreamError {
  path?: unknown;
  extensions?: {classification?: {type?: unknown; errorType?: unknown}; details?: unknown};
}

/** The upstream classification of an error: `type` (ValidationError, …) and `errorType` (InvalidAddress, …). */
export function classify(error: UpstreamError): {type: string; detail: string} {
  const classification = error.extensions?.classification;
  return {type: String(classification?.type ?? ''), detail: String(classification?.errorType ?? '')};
}

/** Map one upstream GraphQL error to a browser code; anything unknown is `unavailable`. */
export function codeForUpstreamError(error: UpstreamError): ErrorCode {
  const {type, detail} = classify(error);
  if (type === 'ResourceNotFoundError' || detail === 'ItemDoesNotExist') return 'not_found';
  if (type === 'ThrottlingError') return 'rate_limited';
  if (type === 'ValidationError') {
    switch (detail) {
      case 'InvalidAddress':
        return 'invalid_address';
      case 'InvalidDestination':
        return 'unsupported_destination';
      case 'ExpiredIdpToken':
      case 'InvalidIdpToken':
        return 'shopper_token_expired';
      case 'ItemAmountUnavailable':
      case 'ItemNotEligible':
      case 'ProductAmountUnavailable':
      case 'ProductNotPrimeEnabled':
      case 'ProductOutOfStock':
        return 'not_eligible';
      default:
        return 'invalid_request';
    }
  }
  // AccessDeniedError is the merchant's credential or permissions, InternalServerError is Amazon's: to the
  // shopper both mean "not now".
  return 'unavailable';
}

/** The answer behind an upstream error about a product, for the browser's `extensions.reason`. */
export function reasonForUpstreamError(error: UpstreamError): AnswerReason | undefined {
  const {type, detail} = classify(error);
  if (type === 'ResourceNotFoundError' || detail === 'ItemDoesNotExist') return 'unknown_product';
  if (type !== 'ValidationError') return undefined;
  switch (detail) {
    case 'ProductOutOfStock':
      return 'out_of_stock';
    case 'ProductAmountUnavailable':
    case 'ItemAmountUnavailable':
      return 'quantity_unavailable';
    case 'ProductNotPrimeEnabled':
    case 'ItemNotEligible':
      return 'not_prime';
    case 'InvalidDestination':
      return 'invalid_destination';
    default:
      return undefined;
  }
}

/** Whether the upstream asks to be called again later (ThrottlingError), as opposed to a final answer. */
export const isThrottling = (error: UpstreamError) => classify(error).type === 'ThrottlingError';
