import type {ErrorCode} from './protocol.js';

/** One GraphQL response as the proxy returns it. */
export interface GraphQLResponse {
  data?: unknown;
  errors?: ReadonlyArray<{message?: string; extensions?: {code?: string; reason?: string}}>;
}

/** Return policy of an offer, Amazon's text. */
export interface ReturnsView {
  title: string;
  description: string | null;
  /** Free returns through Buy with Prime ("FREE Delivery & Returns" rather than "FREE delivery"). */
  returnable: boolean;
}

/** What the product-page elements show for one product. */
export interface OfferView {
  offerId: string | null;
  /** The offer's badge is PRIME and it has a promise: the Prime badge may be shown. */
  prime: boolean;
  /** deliveryTerms.isPrimeEligible, whether the API sent it as true or "true". */
  primeEligible: boolean;
  /** Amazon's delivery promise, verbatim. */
  message: string | null;
  /** BCP 47 locale of Amazon's text. */
  locale: string | null;
  returns: ReturnsView | null;
  /** When the offer stops being valid (ms since the epoch), if the API says. */
  expiresAt: number | null;
}

/**
 * A failed request, with its code from the closed set and, when known, why: the proxy's `extensions.reason`
 * (`origin_not_allowed`, `unknown_document`, …) or `unreachable` when no HTTP answer came.
 */
export class BwpRequestError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly reason?: string,
  ) {
    super(code);
  }
}
