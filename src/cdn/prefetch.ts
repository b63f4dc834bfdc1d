// The loader's early offer requests: only the data layer (no Lit), which the loader's file holds, so they
// start as soon as the loader runs.
import {clientFor, type ProxyClient} from '../api/client.js';
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
 * code is defined: the element then takes the answer, or joins the request in flight. With `now`, the
 * requests leave at once (one HTTP request per proxy, as ever) instead of at the end of the task.
 */
export function prefetch(elements: Element[], now = false): void {
  const clients = new Set<ProxyClient>();
  for (const el of elements) {
    const inputs = productInputs(el);
    const variables =
      inputs['postalCode'] === null && el.hasAttribute('postal-code') ? null : productOfferVariables(inputs);
    if (!variables) continue;
    const client = clientFor(resolveEndpoint(el.getAttribute('endpoint'), el.ownerDocument));
    client.prefetch(PRODUCT_OFFERS, variables);
    clients.add(client);
  }
  if (now) for (const client of clients) client.flush();
}
