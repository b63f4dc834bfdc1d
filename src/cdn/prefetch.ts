// The loader's early offer requests: only the data layer (no Lit), which the loader's file holds, so they
// start as soon as the loader runs.
import {clientFor} from '../api/client.js';
import {PRODUCT_OFFERS} from '../api/protocol.js';
import {resolveEndpoint} from '../api/endpoint.js';
import {pageLocation, usPostalCode} from '../api/location.js';
import {productOfferVariables} from '../api/product-offer.js';

/** The element's attributes as the properties its offer query reads (sku, productId, quantity, …). */
function productInputs(el: Element): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const {name, value} of el.attributes)
    inputs[name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] =
      name === 'quantity' ? Number(value) : value;
  // The place the element will ask for: its own postal code, else the page-wide one (a bad one asks nothing).
  const own = el.getAttribute('postal-code');
  inputs['postalCode'] = own ? usPostalCode(own) : pageLocation.postalCode;
  return inputs;
}

/**
 * Starts, through the page's shared client, the offer request each product element will make once its
 * code is defined: the element then takes the answer, or joins the request in flight.
 */
export function prefetch(elements: Element[]): void {
  for (const el of elements) {
    const inputs = productInputs(el);
    const variables =
      inputs['postalCode'] === null && el.hasAttribute('postal-code') ? null : productOfferVariables(inputs);
    if (variables)
      clientFor(resolveEndpoint(el.getAttribute('endpoint'), el.ownerDocument)).prefetch(
        PRODUCT_OFFERS,
        variables,
      );
  }
}
