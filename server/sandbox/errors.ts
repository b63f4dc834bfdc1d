// Errors in the API's documented envelope: extensions.classification {type, errorType, errorCode}.

export interface Classification {
  /** The troubleshooting tables' "Error Type", e.g. ValidationError. */
  type: string;
  /** The tables' "Error Code" (InvalidAddress…) for validation errors, else the exception name. */
  errorType: string;
  /** An HTTP-like number (the documented AccessDeniedError example carries 403). */
  errorCode: number;
}

/** An error a resolver throws; graphql-js copies `extensions` into the response. */
export class BwpApiError extends Error {
  readonly extensions: {classification: Classification; details?: Record<string, unknown>};
  constructor(message: string, classification: Classification, details?: Record<string, unknown>) {
    super(message);
    this.extensions = details ? {classification, details} : {classification};
  }
}

export const accessDenied = () =>
  new BwpApiError('You do not have sufficient access to perform this action.', {
    type: 'AccessDeniedError',
    errorType: 'AccessDeniedException',
    errorCode: 403,
  });

export const throttled = () =>
  new BwpApiError('Too many requests. Send the request again using exponential backoff.', {
    type: 'ThrottlingError',
    errorType: 'ThrottlingException',
    errorCode: 429,
  });

export const internalError = () =>
  new BwpApiError('An internal error occurred. Try again later.', {
    type: 'InternalServerError',
    errorType: 'InternalServerException',
    errorCode: 500,
  });

export const resourceNotFound = (message: string, details?: Record<string, unknown>) =>
  new BwpApiError(
    message,
    {type: 'ResourceNotFoundError', errorType: 'ResourceNotFoundException', errorCode: 404},
    details,
  );

/**
 * ValidationError codes the sandbox answers; the first ones are documented, the last ones are the sandbox's own.
 * The Product* codes are the delivery-preview errors documented since API version 2024-04-01; offers and
 * deliveryPreview answer them, orders keep ItemAmountUnavailable / ItemNotEligible.
 */
export type ValidationCode =
  | 'InvalidAddress'
  | 'InvalidDestination'
  | 'ExpiredIdpToken'
  | 'InvalidIdpToken'
  | 'ItemAmountUnavailable'
  | 'AddressMismatch'
  | 'ItemNotEligible'
  | 'ProductAmountUnavailable'
  | 'ProductNotPrimeEnabled'
  | 'ProductOutOfStock'
  | 'LineItemLimitExceeded'
  | 'ExpiredOffer'
  | 'ExpiredDeliveryOffer'
  | 'AliasValueAlreadyExists'
  | 'InvalidInput';

export const validation = (code: ValidationCode, message: string, details?: Record<string, unknown>) =>
  new BwpApiError(message, {type: 'ValidationError', errorType: code, errorCode: 400}, details);

/** The envelope of an error that stops a request before GraphQL runs (auth, throttling, faults). */
export const errorEnvelope = (error: BwpApiError) => ({
  errors: [{message: error.message, extensions: error.extensions}],
  data: null,
});
