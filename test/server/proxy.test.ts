import assert from 'node:assert/strict';
import {after, before, beforeEach, describe, it} from 'node:test';
import {createProxy} from '../../server/proxy/proxy.ts';
import {createSandbox, SANDBOX_DEFAULTS} from '../../server/sandbox/sandbox.ts';
import {listen, recordingFetch, type Served} from './helpers.ts';

describe('proxy over HTTP, in front of the sandbox over HTTP', () => {
  let upstream: Served;
  let proxy: Served;
  let recorder: ReturnType<typeof recordingFetch>;

  before(async () => {
    upstream = await listen(createSandbox({now: () => new Date('2026-11-20T15:00:00Z')}));
    recorder = recordingFetch();
    const handler = createProxy({
      apiUrl: `${upstream.url}/graphql`,
      tokenUrl: `${upstream.url}/token`,
      ...SANDBOX_DEFAULTS,
      apiVersion: '2024-11-01',
      fetch: recorder.fetch,
    });
    proxy = await listen(handler);
  });
  after(async () => {
    await proxy.close();
    await upstream.close();
  });
  beforeEach(() => {
    recorder.calls.length = 0;
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${proxy.url}/bwp/graphql`, {
      method: 'POST',
      headers: {'content-type': 'application/json', ...headers},
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const productOffers = (sku: string) => ({
    documentId: 'ProductOffers.v1',
    variables: {lineItems: [{product: {identifier: {sku}}, amount: {unit: 'ONE', value: 1}}]},
  });
  const graphqlCalls = () => recorder.calls.filter((call) => call.url.endsWith('/graphql'));

  it('answers the product offers document with the upstream data', async () => {
    const response = await post(productOffers('example-sku-1'));
    assert.equal(response.status, 200);
    const body = (await response.json()) as {data: any};
    const message = body.data.offers.edges[0].node.lineItems[0].deliveryOffer.summary.deliveryMessage;
    assert.equal(message.badge, 'PRIME');
  });

  it('sends the documented headers and the shopper IP from the connection as the location', async () => {
    await post(productOffers('example-sku-1'));
    const [call] = graphqlCalls();
    assert.ok(call);
    assert.match(call.headers.get('authorization')!, /^Bearer sbx\./);
    assert.equal(call.headers.get('x-api-target-id'), 'sandbox-target');
    assert.equal(call.headers.get('x-api-version'), '2024-11-01');
    const sent = JSON.parse(call.body) as {query: string; variables: any};
    assert.deepEqual(sent.variables.location, {ipAddress: '127.0.0.1'});
    assert.match(sent.query, /query ProductOffers/);
  });

  it('passes the shopper token header as the shopper identity', async () => {
    await post(productOffers('example-sku-1'), {'x-bwp-shopper-token': 'Atza|shopper'});
    const sent = JSON.parse(graphqlCalls()[0]!.body) as {variables: any};
    assert.deepEqual(sent.variables.shopperIdentity, {lwaAccessToken: {value: 'Atza|shopper'}});
  });

  it('fetches one access token for many concurrent cold requests and reuses it', async () => {
    const cold = recordingFetch();
    const fresh = await listen(
      createProxy({
        apiUrl: `${upstream.url}/graphql`,
        tokenUrl: `${upstream.url}/token`,
        ...SANDBOX_DEFAULTS,
        fetch: cold.fetch,
      }),
    );
    try {
      const send = () =>
        fetch(`${fresh.url}/bwp/graphql`, {
          method: 'POST',
          headers: {'content-type': 'application/json'},
          body: JSON.stringify(productOffers('example-sku-1')),
        }).then((r) => r.json());
      await Promise.all(Array.from({length: 20}, send));
      await send();
      assert.equal(cold.calls.filter((call) => call.url.endsWith('/token')).length, 1);
      assert.equal(cold.calls.filter((call) => call.url.endsWith('/graphql')).length, 21);
    } finally {
      await fresh.close();
    }
  });

  it('answers a batch with one result per document, in order', async () => {
    const response = await post([productOffers('example-sku-1'), productOffers('example-sku-2')]);
    const body = (await response.json()) as Array<{data: any}>;
    assert.equal(body.length, 2);
    assert.equal(body[0]!.data.offers.edges[0].node.lineItems[0].product.sku.value, 'example-sku-1');
    assert.equal(body[1]!.data.offers.edges[0].node.lineItems[0].product.sku.value, 'example-sku-2');
  });

  for (const [name, body] of [
    ['a raw GraphQL query', {query: '{ offers(input: {lineItems: []}) { totalCount } }'}],
    ['an unknown document id', {documentId: 'Mutation.v1', variables: {}}],
    [
      'a variable the browser may not set',
      {...productOffers('x'), variables: {lineItems: [], location: {ipAddress: '1.1.1.1'}}},
    ],
    ['a SKU longer than 255 characters', productOffers('x'.repeat(256))],
  ] as const) {
    it(`refuses ${name} with invalid_request and no upstream call`, async () => {
      const response = await post(body);
      const json = (await response.json()) as {errors: Array<{extensions: {code: string}}>};
      assert.equal(json.errors[0]!.extensions.code, 'invalid_request');
      assert.equal(graphqlCalls().length, 0);
    });
  }

  it('refuses GET and non-JSON content types without calling upstream', async () => {
    assert.equal((await fetch(`${proxy.url}/bwp/graphql?documentId=ProductOffers.v1`)).status, 405);
    const form = await fetch(`${proxy.url}/bwp/graphql`, {
      method: 'POST',
      body: 'documentId=ProductOffers.v1',
    });
    assert.equal(form.status, 415);
    assert.equal(graphqlCalls().length, 0);
  });

  it('maps an upstream error to a closed code without its message', async () => {
    const response = await post(productOffers('no-such-sku'));
    const text = await response.text();
    const json = JSON.parse(text) as {errors: Array<{extensions: {code: string}}>};
    assert.equal(json.errors[0]!.extensions.code, 'not_found');
    assert.doesNotMatch(text, /no-such-sku|ResourceNotFound|classification/);
  });

  it('answers health', async () => {
    const response = await fetch(`${proxy.url}/bwp/health`);
    assert.deepEqual(await response.json(), {status: 'ok'});
  });
});
