import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {createDemoOrders} from '../../server/dev/orders.ts';
import {sandboxInputType} from '../../server/sandbox/schema.ts';
import {createSandbox, SANDBOX_DEFAULTS, type FetchHandler} from '../../server/sandbox/sandbox.ts';
import {listen, recordingFetch, type Served} from './helpers.ts';

const PRIME_TOKEN =
  'eyJ0eXBlIjoiQUNDRVNTX1RPS0VOIiwidmFsdWUiOiJzYW5kYm94LW1vY2tlZC10ZXN0LXByaW1lLXNob3BwZXItYWNjZXNzLXRva2VuIn0=';
const ADDRESS = {
  name: 'John Doe',
  streetAddress: '440 Terry Ave N',
  locality: 'Seattle',
  region: 'WA',
  postalCode: '98109',
  countryCode: 'US',
};

/** Calls the sandbox directly, as the proxy would, to get real offers and previews for a selection. */
async function sandboxQuery(sandbox: FetchHandler, query: string, variables: object) {
  const form = `grant_type=client_credentials&client_id=${SANDBOX_DEFAULTS.clientId}&client_secret=${SANDBOX_DEFAULTS.clientSecret}`;
  const tokenResponse = await sandbox(
    new Request('http://sandbox/token', {
      method: 'POST',
      headers: {'content-type': 'application/x-www-form-urlencoded'},
      body: form,
    }),
  );
  const {access_token} = (await tokenResponse.json()) as {access_token: string};
  const response = await sandbox(
    new Request('http://sandbox/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${access_token}`,
        'x-api-target-id': SANDBOX_DEFAULTS.targetId,
      },
      body: JSON.stringify({query, variables}),
    }),
  );
  const body = (await response.json()) as {data: any; errors?: unknown};
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

const identity = {lwaAccessToken: {value: PRIME_TOKEN}};

const PREVIEW = /* GraphQL */ `
  query ($input: DeliveryPreviewInput!) {
    deliveryPreview(input: $input) {
      id
      deliveryGroups {
        deliveryOffers {
          id
          policy {
            messaging {
              messageText
              badge
            }
          }
        }
      }
    }
  }
`;

const OFFERS = /* GraphQL */ `
  query ($input: ${sandboxInputType('OffersInput')}!) {
    offers(input: $input) {
      edges {
        node {
          id
          lineItems {
            deliveryOffer {
              details {
                id
                deliveryPreviewId
                deliveryTerms {
                  isPrimeEligible
                  deliverySpeed
                }
                policy {
                  messaging {
                    messageText
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

describe('demo merchant backend: POST /demo/orders, GET /demo/orders/:id (real HTTP, sandbox)', () => {
  let sandbox: FetchHandler;
  let upstream: ReturnType<typeof recordingFetch>;
  let served: Served;

  before(async () => {
    sandbox = createSandbox();
    upstream = recordingFetch((input, init) => sandbox(new Request(input, init)));
    const recorded: FetchHandler = (request) => upstream.fetch(request);
    served = await listen(createDemoOrders({sandbox: recorded}));
  });
  after(() => served.close());

  const place = (body: unknown, token: string | null = PRIME_TOKEN) =>
    fetch(`${served.url}/demo/orders`, {
      method: 'POST',
      headers: {'content-type': 'application/json', ...(token ? {'x-bwp-shopper-token': token} : {})},
      body: JSON.stringify(body),
    });

  it('places createOrder with the delivery offer the shopper chose and reads the same promise back', async () => {
    const preview = await sandboxQuery(sandbox, PREVIEW, {
      input: {
        products: [{productIdentifier: {sku: 'example-sku-1'}, amount: {unit: 'ONE', value: 2}}],
        location: {shippingAddress: ADDRESS},
        shopperIdentity: identity,
      },
    });
    const offers = preview.deliveryPreview.deliveryGroups[0].deliveryOffers;
    assert.ok(offers.length > 1, 'the sandbox offers several delivery options');
    const chosen = offers[1];
    const selection = {
      offerId: null,
      shippingAddress: ADDRESS,
      lines: [
        {
          sku: 'example-sku-1',
          quantity: 2,
          deliveryPreviewId: preview.deliveryPreview.id,
          deliveryOfferId: chosen.id,
          isPrimeEligible: true,
          deliveryProvider: 'AMAZON',
          deliverySpeed: null,
        },
        {
          sku: 'example-sku-2',
          quantity: 1,
          deliveryPreviewId: null,
          deliveryOfferId: null,
          isPrimeEligible: false,
          deliveryProvider: 'AMAZON',
          deliverySpeed: 'Standard',
        },
      ],
    };
    const created = await place({selection});
    assert.equal(created.status, 201);
    const {order} = (await created.json()) as {order: any};
    assert.match(order.id, /\S/);
    const read = await fetch(`${served.url}/demo/orders/${encodeURIComponent(order.id)}`);
    assert.equal(read.status, 200);
    const {order: stored} = (await read.json()) as {order: any};
    assert.deepEqual(stored, order);
    assert.equal(stored.lines[0].deliveryOfferId, chosen.id);
    assert.equal(stored.lines[0].deliveryPreviewId, preview.deliveryPreview.id);
    assert.equal(stored.lines[0].messageText, chosen.policy.messaging.messageText);
    assert.equal(stored.lines[0].isPrimeEligible, true);
    assert.equal(stored.lines[0].quantity, 2);
    assert.equal(stored.lines[1].sku, 'example-sku-2');
    assert.equal(stored.lines[1].isPrimeEligible, false);
    assert.deepEqual(stored.shippingAddress, ADDRESS);
    assert.equal(stored.executionState, 'STARTED');
  });

  it('places createOrderFromOffer with the offer id and keeps the offer’s promise', async () => {
    const data = await sandboxQuery(sandbox, OFFERS, {
      input: {
        lineItems: [{product: {identifier: {sku: 'TEE-NAVY-M'}}, amount: {unit: 'ONE', value: 1}}],
        location: {shippingAddress: ADDRESS},
        shopperIdentity: identity,
      },
    });
    const node = data.offers.edges[0].node;
    const details = node.lineItems[0].deliveryOffer.details;
    const selection = {
      offerId: node.id,
      shippingAddress: ADDRESS,
      lines: [
        {
          sku: 'TEE-NAVY-M',
          quantity: 1,
          deliveryPreviewId: details.deliveryPreviewId,
          deliveryOfferId: details.id,
          isPrimeEligible: true,
          deliveryProvider: 'AMAZON',
          deliverySpeed: null,
        },
      ],
    };
    const created = await place({selection, mode: 'offer'});
    assert.equal(created.status, 201);
    const {order} = (await created.json()) as {order: any};
    assert.equal(order.lines[0].messageText, details.policy.messaging.messageText);
    assert.equal(order.lines[0].sku, 'TEE-NAVY-M');
    const last = upstream.calls.at(-1)!;
    assert.match(last.body, /createOrderFromOffer/);
    assert.match(last.body, new RegExp(node.id));
  });

  it('refuses an order for another address than the delivery preview’s with address_mismatch', async () => {
    const preview = await sandboxQuery(sandbox, PREVIEW, {
      input: {
        products: [{productIdentifier: {sku: 'example-sku-1'}, amount: {value: 1}}],
        location: {shippingAddress: ADDRESS},
        shopperIdentity: identity,
      },
    });
    const offer = preview.deliveryPreview.deliveryGroups[0].deliveryOffers[0];
    const response = await place({
      selection: {
        offerId: null,
        shippingAddress: {...ADDRESS, streetAddress: '1 Other St'},
        lines: [
          {
            sku: 'example-sku-1',
            quantity: 1,
            deliveryPreviewId: preview.deliveryPreview.id,
            deliveryOfferId: offer.id,
            isPrimeEligible: true,
            deliveryProvider: 'AMAZON',
            deliverySpeed: null,
          },
        ],
      },
    });
    assert.equal(response.status, 409);
    const body = (await response.json()) as {error: {code: string; message: string}};
    assert.equal(body.error.code, 'address_mismatch');
    assert.doesNotMatch(JSON.stringify(body), /Input the same address|DP-|sbx\./);
  });

  it('asks the shopper to sign in when no shopper token comes with the order, without calling the API', async () => {
    const before = upstream.calls.length;
    const response = await place(
      {
        selection: {
          offerId: 'OFFER-1',
          shippingAddress: ADDRESS,
          lines: [
            {
              sku: 'example-sku-1',
              quantity: 1,
              deliveryPreviewId: null,
              deliveryOfferId: null,
              isPrimeEligible: true,
              deliveryProvider: 'AMAZON',
              deliverySpeed: null,
            },
          ],
        },
      },
      null,
    );
    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as any).error.code, 'sign_in_required');
    assert.equal(upstream.calls.length, before);
  });

  it('refuses a malformed selection with invalid_request', async () => {
    for (const body of [
      {},
      {selection: {shippingAddress: ADDRESS, lines: []}},
      {selection: {shippingAddress: {name: 'x'}, lines: [{sku: 'A', quantity: 1}]}},
      {
        selection: {
          shippingAddress: ADDRESS,
          lines: [{sku: 'A', quantity: 0, isPrimeEligible: true, deliveryProvider: 'AMAZON'}],
        },
      },
    ]) {
      const response = await place(body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(((await response.json()) as any).error.code, 'invalid_request');
    }
    const notJson = await fetch(`${served.url}/demo/orders`, {method: 'POST', body: 'x'});
    assert.equal(notJson.status, 400);
  });

  it('answers not_found for an unknown order id', async () => {
    const response = await fetch(`${served.url}/demo/orders/ORDER-nope`);
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as any).error.code, 'not_found');
  });

  it('gets one sandbox token for many calls and sends it only to the sandbox', async () => {
    const tokenCalls = upstream.calls.filter((c) => c.url.endsWith('/token'));
    assert.equal(tokenCalls.length, 1);
    for (const call of upstream.calls.filter((c) => c.url.endsWith('/graphql'))) {
      assert.match(call.headers.get('authorization') ?? '', /^Bearer \S+$/);
      assert.equal(call.headers.get('x-api-target-id'), SANDBOX_DEFAULTS.targetId);
    }
  });
});

describe('demo merchant backend: access tokens (the proxy’s token source)', () => {
  /** The sandbox behind a gate that answers 401 to the first `refusals` GraphQL calls. */
  function refusing(refusals: number) {
    const sandbox = createSandbox();
    let refused = 0;
    const upstream = recordingFetch((input, init) => {
      const request = new Request(input, init);
      if (request.url.endsWith('/graphql') && refused < refusals) {
        refused++;
        return Promise.resolve(Response.json({errors: [{message: 'Unauthorized'}]}, {status: 401}));
      }
      return sandbox(request);
    });
    const orders = createDemoOrders({sandbox: (request) => upstream.fetch(request)});
    const read = () => orders(new Request('http://shop.test/demo/orders/ORDER-nope'));
    const calls = (path: string) => upstream.calls.filter((c) => c.url.endsWith(path));
    return {read, calls};
  }

  it('fetches one new token when the API refuses the first with 401, and retries the call with it', async () => {
    const {read, calls} = refusing(1);
    const response = await read();
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as any).error.code, 'not_found');
    assert.equal(calls('/token').length, 2);
    const [first, second] = calls('/graphql').map((c) => c.headers.get('authorization'));
    assert.equal(calls('/graphql').length, 2);
    assert.notEqual(first, second);
  });

  it('gives up with unavailable when the new token is refused too, without a loop', async () => {
    const {read, calls} = refusing(3);
    const response = await read();
    assert.equal(response.status, 502);
    assert.equal(((await response.json()) as any).error.code, 'unavailable');
    assert.equal(calls('/graphql').length, 2);
    assert.equal(calls('/token').length, 2);
  });
});
