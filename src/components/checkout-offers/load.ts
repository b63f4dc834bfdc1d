// One checkout run: the inputs refused before any request, else the offers and (signed in) the delivery preview.
import {
  buildCheckoutView,
  checkoutOffersVariables,
  deliveryPreviewVariables,
  lineInputProblem,
  normalizeCheckoutOffers,
  normalizeDeliveryPreview,
  responseProblems,
  type CheckoutLineInput,
  type CheckoutView,
} from '../../api/checkout.js';
import type {ProxyClient} from '../../api/client.js';
import {
  CHECKOUT_OFFERS,
  DELIVERY_PREVIEW,
  MAX_LINES,
  MAX_OTHER_LINES,
  MAX_PRIME_LINES,
  type ShippingAddress,
} from '../../api/protocol.js';
import {shopperIdentity} from '../../api/identity.js';
import {describe, LIMIT_MESSAGE, SPLIT_MESSAGE, type Failure} from './copy.js';

/** What one run gave: the view to show, or a failure with whatever offers did arrive. */
export type Outcome = {view: CheckoutView; failure: null} | {view: CheckoutView | null; failure: Failure};

/** Why the offers are not shown, with the ones that did arrive (if any). */
export const failed = (failure: Failure, view: CheckoutView | null = null): Outcome => ({view, failure});
const shown = (view: CheckoutView): Outcome => ({view, failure: null});

const tooMany = (message: string): Failure => ({code: 'invalid_request', top: [message], lines: new Map()});

/** What the API would refuse, refused before any request: too many lines, a line without id or with a bad quantity. */
export function refuse(inputs: readonly CheckoutLineInput[]): Failure | null {
  if (inputs.length > MAX_LINES) return tooMany(LIMIT_MESSAGE);
  const lines = new Map<number, string>();
  inputs.forEach((input, i) => {
    const problem = lineInputProblem(input);
    if (problem) lines.set(i, problem);
  });
  return lines.size ? {code: 'invalid_request', top: [], lines} : null;
}

/**
 * The offers of every line; for a signed-in shopper with Prime lines, then the delivery preview of
 * those lines. Rejects (BwpRequestError, or the signal's reason) when a request fails.
 */
export async function loadCheckout(
  client: ProxyClient,
  inputs: CheckoutLineInput[],
  address: ShippingAddress,
  signal: AbortSignal,
): Promise<Outcome> {
  const response = await client.request(CHECKOUT_OFFERS, checkoutOffersVariables(inputs, address), signal);
  const problems = responseProblems(response);
  if (problems.length) return failed(describe(problems, inputs.length));
  const offers = normalizeCheckoutOffers(response);
  if (!offers || offers.lines.length !== inputs.length)
    return failed(describe([{code: 'unavailable', lineIndex: null}]));
  const primeLines = offers.lines.flatMap((line, i) => (line.delivery?.prime ? [i] : []));
  if (primeLines.length > MAX_PRIME_LINES || inputs.length - primeLines.length > MAX_OTHER_LINES)
    return failed(tooMany(SPLIT_MESSAGE));
  // Several delivery offers per group (and their expiry) exist for a signed-in shopper at a full address.
  if (!primeLines.length || !shopperIdentity.token)
    return shown(buildCheckoutView(inputs, offers, null, primeLines));
  const previewResponse = await client.request(
    DELIVERY_PREVIEW,
    deliveryPreviewVariables(
      primeLines.map((i) => inputs[i]!),
      address,
    ),
    signal,
  );
  const previewProblems = responseProblems(previewResponse);
  if (previewProblems.length) {
    const toCartLine = (i: number) => primeLines[i] ?? null;
    return failed(
      describe(previewProblems, inputs.length, toCartLine),
      buildCheckoutView(inputs, offers, null),
    );
  }
  const preview = normalizeDeliveryPreview(previewResponse);
  return shown(buildCheckoutView(inputs, offers, preview, primeLines));
}
