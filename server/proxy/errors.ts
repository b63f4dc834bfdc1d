// The closed set of error codes the proxy gives the browser, and the mapping from the API's classifications.

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

export interface BrowserError {
  message: string;
  extensions: {code: ErrorCode};
}

export const browserError = (code: ErrorCode): BrowserError => ({
  message: MESSAGES[code],
  extensions: {code},
});

interface UpstreamError {
  extensions?: {classification?: {type?: unknown; errorType?: unknown}};
}

/** Map one upstream GraphQL error to a browser code; anything unknown is `unavailable`. */
export function codeForUpstreamError(error: UpstreamError): ErrorCode {
  const classification = error.extensions?.classification;
  const type = String(classification?.type ?? '');
  const detail = String(classification?.errorType ?? '');
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
        return 'not_eligible';
      default:
        return 'invalid_request';
    }
  }
  return 'unavailable';
}
