// The loader's early offer requests: only the data layer (no Lit), which the loader's file holds, so they
// start as soon as the loader runs.
import {clientFor} from '../api/client.js';
import {PRODUCT_OFFERS} from '../api/documents.js';
import {resolveEndpoint} from '../api/endpoint.js';
import {productOfferVariables} from '../api/product-offer.js';

/** The element's attributes as the properties its offer query reads (sku, productId, quantity, …). */
function productInputs(el: Element): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const {name, value} of el.attributes)
    inputs[name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] =
      name === 'quantity' ? Number(value) : value;
  return inputs;
}

/**
 * Starts, through the page's shared client, the offer request each product element will make once its
 * code is defined: the element then takes the answer, or joins the request in flight.
 */
export function prefetch(elements: Element[]): void {
  for (const el of elements) {
    const variables = productOfferVariables(productInputs(el));
    if (variables)
      clientFor(resolveEndpoint(el.getAttribute('endpoint'), el.ownerDocument)).prefetch(
        PRODUCT_OFFERS,
        variables,
      );
  }
}
