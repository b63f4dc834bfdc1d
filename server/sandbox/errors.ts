// Errors in the API's documented envelope: extensions.classification {type, errorType, errorCode}.

export interface Classification {
  type: string;
  errorType: string;
  errorCode: number | string;
}

/** An error a resolver throws; graphql-js copies `extensions` into the response. */
export class BwpApiError extends Error {
  readonly extensions: {classification: Classification};
  constructor(message: string, classification: Classification) {
    super(message);
    this.extensions = {classification};
  }
}

export const accessDenied = () =>
  new BwpApiError('You do not have sufficient access to perform this action.', {
    type: 'AccessDeniedError',
    errorType: 'AccessDeniedException',
    errorCode: 403,
  });

export const resourceNotFound = (what: string) =>
  new BwpApiError(`At least one item or product ID in the request is invalid: ${what}`, {
    type: 'ResourceNotFoundError',
    errorType: 'ResourceNotFoundException',
    errorCode: 404,
  });

export const validation = (code: string, message: string) =>
  new BwpApiError(message, {type: 'ValidationError', errorType: code, errorCode: 400});
