import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {Kind, parse, valueFromASTUntyped, visit} from 'graphql';
import {createSandbox, SANDBOX_DEFAULTS} from '../../server/sandbox/sandbox.ts';
import {SANDBOX_SHOPPER_TOKENS} from '../../server/sandbox/shoppers.ts';
import {listen, recordingFetch, type Served} from './helpers.ts';
import {
  ADDRESS,
  callProxy,
  createAudit,
  DIRECT_CLIENT_IP,
  productOffers,
  type Envelope,
  type ProxyUnderTest,
} from './proxy-fixtures.ts';

const PRIME_SHOPPER = SANDBOX_SHOPPER_TOKENS.lwaPrime;

describe('proxy documents, in front of the sandbox over HTTP', () => {
  const audit = createAudit();
  audit.addSecret(PRIME_SHOPPER);
  let upstream: Served;
  let proxy: ProxyUnderTest;
  let recorder: ReturnType<typeof recordingFetch>;

  before(async () => {
    upstream = await listen(createSandbox({now: () => new Date('2026-11-20T15:00:00Z')}));
    recorder = recordingFetch();
    // Every access token the sandbox issued is a secret too.
    audit.watch({
      get tokensIssued() {
        return recorder.calls.flatMap(
          (call) => call.headers.get('authorization')?.match(/^Bearer (.+)$/)?.[1] ?? [],
        );
      },
    });
    proxy = await callProxy(recorder, audit, {
      apiUrl: `${upstream.url}/graphql`,
      tokenUrl: `${upstream.url}/token`,
      ...SANDBOX_DEFAULTS,
      random: Math.random,
    });
  });
  after(async () => {
    await proxy.close();
    await upstream.close();
  });

  const post = (body: unknown, headers: Record<string, string> = {}) => proxy.post(body, headers);
  const lastVariables = () =>
    (
      JSON.parse(recorder.calls.filter((call) => call.url.endsWith('/graphql')).at(-1)!.body) as {
        variables: any;
      }
    ).variables;
  // What the last call sent for an input field: a variable, or a literal written into the document.
  const lastInput = (name: string) => {
    const call = recorder.calls.filter((each) => each.url.endsWith('/graphql')).at(-1)!;
    const {query, variables} = JSON.parse(call.body) as {query: string; variables: any};
    let literal: unknown;
    visit(parse(query), {
      ObjectField: (node) => {
        if (node.name.value === name && node.value.kind !== Kind.VARIABLE)
          literal = JSON.parse(JSON.stringify(valueFromASTUntyped(node.value)));
      },
    });
    return literal ?? variables[name];
  };
  const checkout = (skus: string[], address: object = ADDRESS) => ({
    documentId: 'CheckoutOffers.v1',
    variables: {
      lineItems: skus.map((sku) => ({product: {identifier: {sku}}, amount: {unit: 'ONE', value: 1}})),
      shippingAddress: address,
    },
  });
  const preview = (skus: string[], address: object = ADDRESS) => ({
    documentId: 'DeliveryPreview.v1',
    variables: {
      products: skus.map((sku) => ({productIdentifier: {sku}, amount: {value: 1}})),
      shippingAddress: address,
    },
  });

  it('answers product offers with the sandbox data and the shopper IP from the connection', async () => {
    const body = (await (await post(productOffers('example-sku-1'))).json()) as Envelope;
    const line = body.data.offers.edges[0].node.lineItems[0];
    assert.equal(line.deliveryOffer.summary.deliveryMessage.badge, 'PRIME');
    assert.deepEqual(lastVariables().location, {ipAddress: DIRECT_CLIENT_IP});
    assert.equal(lastVariables().shopperIdentity, undefined);
  });

  it('passes the shopper token header as the shopper identity', async () => {
    await post(productOffers('example-sku-1'), {'x-bwp-shopper-token': PRIME_SHOPPER});
    assert.deepEqual(lastVariables().shopperIdentity, {lwaAccessToken: {value: PRIME_SHOPPER}});
  });

  it('answers checkout offers for a shipping address, with the shopper identity and no IP', async () => {
    const response = await post(checkout(['example-sku-1', 'example-sku-2']), {
      'x-bwp-shopper-token': PRIME_SHOPPER,
    });
    const body = (await response.json()) as Envelope;
    assert.equal(body.errors, undefined);
    assert.equal(body.data.offers.edges[0].node.lineItems.length, 2);
    assert.deepEqual(lastInput('shippingAddress'), ADDRESS);
    assert.equal(lastVariables().location, undefined);
    assert.equal(response.headers.get('cache-control'), 'private, no-store');
  });

  it('answers a delivery preview for Prime products at an address', async () => {
    const body = (await (
      await post(preview(['example-sku-1']), {'x-bwp-shopper-token': PRIME_SHOPPER})
    ).json()) as Envelope;
    assert.equal(body.errors, undefined);
    assert.ok(body.data.deliveryPreview.deliveryGroups[0].deliveryOffers.length > 0);
    assert.deepEqual(lastInput('products'), [
      {productIdentifier: {sku: 'example-sku-1'}, amount: {unit: 'ONE', value: 1}},
    ]);
  });

  it('says which product of a delivery preview is not eligible', async () => {
    const body = (await (await post(preview(['example-sku-1', 'example-sku-2']))).json()) as Envelope;
    assert.deepEqual(body.errors![0]!.extensions, {code: 'not_eligible', reason: 'not_prime', lineIndex: 1});
  });

  it('answers unsupported_destination for a Puerto Rico address and invalid_address for a bad one', async () => {
    const pr = (await (
      await post(
        checkout(['example-sku-1'], {...ADDRESS, region: 'PR', countryCode: 'PR', postalCode: '00901'}),
      )
    ).json()) as Envelope;
    assert.equal(pr.errors![0]!.extensions.code, 'unsupported_destination');
    const bad = (await (
      await post(preview(['example-sku-1'], {...ADDRESS, postalCode: '1'}))
    ).json()) as Envelope;
    assert.equal(bad.errors![0]!.extensions.code, 'invalid_address');
  });

  it('answers shopper_token_expired for the sandbox expired shopper', async () => {
    const response = await post(preview(['example-sku-1']), {
      'x-bwp-shopper-token': SANDBOX_SHOPPER_TOKENS.lwaExpired,
    });
    assert.equal(((await response.json()) as Envelope).errors![0]!.extensions.code, 'shopper_token_expired');
  });

  it('answers a batch of all three documents with one result each, in order', async () => {
    const response = await post(
      [productOffers('example-sku-1'), checkout(['example-sku-2']), preview(['example-sku-1'])],
      {
        'x-bwp-shopper-token': PRIME_SHOPPER,
      },
    );
    const body = (await response.json()) as Envelope[];
    assert.equal(body.length, 3);
    assert.ok(body[0]!.data.offers);
    assert.ok(body[1]!.data.offers);
    assert.ok(body[2]!.data.deliveryPreview);
  });

  it('maps an unknown product to not_found without its message', async () => {
    const text = await (await post(productOffers('no-such-sku'))).text();
    assert.equal(JSON.parse(text).errors[0].extensions.code, 'not_found');
    assert.doesNotMatch(text, /no-such-sku|ResourceNotFound|classification/);
  });

  const atPostalCode = (sku: string, location: unknown) => ({
    documentId: 'ProductOffers.v1',
    variables: {...productOffers(sku).variables, location},
  });

  it('asks for product offers at the postal code the browser chose, instead of the IP', async () => {
    const location = {shippingAddress: {postalCode: '10001', countryCode: 'US'}};
    const body = (await (await post(atPostalCode('example-sku-1', location))).json()) as Envelope;
    assert.equal(body.errors, undefined);
    assert.deepEqual(lastVariables().location, location);
    const plus4 = {shippingAddress: {postalCode: '10001-1234', countryCode: 'US'}};
    await post(atPostalCode('example-sku-1', plus4));
    assert.deepEqual(lastVariables().location, plus4);
  });

  it('refuses a product-page location that is more than a US postal code, before any upstream call', async () => {
    const calls = recorder.calls.length;
    for (const location of [
      {shippingAddress: {...ADDRESS}},
      {shippingAddress: {postalCode: '10001', countryCode: 'US', streetAddress: '1 Main St'}},
      {shippingAddress: {postalCode: '10001', countryCode: 'CA'}},
      {shippingAddress: {postalCode: '10001'}},
      {shippingAddress: {postalCode: '1000', countryCode: 'US'}},
      {shippingAddress: {postalCode: '10001-12', countryCode: 'US'}},
      {shippingAddress: {postalCode: 'V6B 1A1', countryCode: 'US'}},
      {ipAddress: '8.8.8.8'},
      {ipAddress: '8.8.8.8', shippingAddress: {postalCode: '10001', countryCode: 'US'}},
      'US-10001',
    ]) {
      const response = await post(atPostalCode('example-sku-1', location));
      const body = (await response.json()) as Envelope;
      assert.equal(body.errors![0]!.extensions.code, 'invalid_request', JSON.stringify(location));
      assert.match(String(body.errors![0]!.extensions.field), /^variables\.location/);
    }
    assert.equal(recorder.calls.length, calls, 'no refused location reaches the API');
  });

  it('answers a territory postal code with unsupported_destination, reason invalid_destination', async () => {
    const location = {shippingAddress: {postalCode: '00901', countryCode: 'US'}};
    const body = (await (await post(atPostalCode('example-sku-1', location))).json()) as Envelope;
    assert.deepEqual(body.errors![0]!.extensions, {
      code: 'unsupported_destination',
      reason: 'invalid_destination',
      lineIndex: 0,
    });
  });

  it('says why Amazon has no offer: out of stock, quantity unavailable, unknown product', async () => {
    const reason = async (operation: unknown) =>
      (((await (await post(operation)).json()) as Envelope).errors![0]!.extensions as {reason?: string})
        .reason;
    assert.equal(await reason(productOffers('GRINDER-ESPRESSO')), 'out_of_stock');
    assert.equal(await reason(productOffers('VINYL-LTD-001', 4)), 'quantity_unavailable');
    assert.equal(await reason(productOffers('no-such-sku')), 'unknown_product');
  });
});
