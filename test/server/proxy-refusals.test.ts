import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {
  ADDRESS,
  callProxy,
  createAudit,
  fakeApi,
  productOffers,
  serveProxy,
  SHOPPER_TOKEN,
  type Envelope,
  type ProxyUnderTest,
} from './proxy-fixtures.ts';

describe('proxy refusals: a clear code and not one upstream call', () => {
  const audit = createAudit();
  const api = audit.watch(fakeApi());
  let proxy: ProxyUnderTest;
  // The body caps are about bytes on a socket (a Content-Length header, a stream the client keeps sending).
  let wire: ProxyUnderTest;

  before(async () => {
    proxy = await callProxy(api, audit, {rateLimiter: false});
    wire = await serveProxy(api, audit, {rateLimiter: false});
  });
  after(async () => {
    await proxy.close();
    await wire.close();
  });

  async function refused(
    send: () => Promise<Response>,
    status: number,
    reason: string,
    code = 'invalid_request',
  ) {
    const calls = api.upstreamCalls;
    const response = await send();
    assert.equal(response.status, status);
    const body = (await response.json()) as Envelope;
    const error = (Array.isArray(body) ? body[0] : body).errors[0];
    assert.equal(error.extensions.code, code);
    assert.equal(error.extensions.reason, reason);
    assert.equal(api.upstreamCalls, calls, 'the upstream was called');
    return error;
  }

  const badOperations: Array<[string, unknown, string]> = [
    ['an unknown document id', {documentId: 'AllOrders.v1', variables: {}}, 'unknown_document'],
    ['a missing document id', {variables: {}}, 'unknown_document'],
    [
      'a raw GraphQL query',
      {query: '{ offers(input: {lineItems: []}) { totalCount } }'},
      'query_not_allowed',
    ],
    [
      'a mutation',
      {query: 'mutation { createOrderFromOffer(input: {baseOfferId: "x"}) { order { id } } }'},
      'query_not_allowed',
    ],
    [
      'a known id with GraphQL text beside it',
      {...productOffers('a'), query: '{ __schema { types { name } } }'},
      'query_not_allowed',
    ],
    [
      'an automatic persisted query hash',
      {extensions: {persistedQuery: {version: 1, sha256Hash: 'abc'}}},
      'query_not_allowed',
    ],
    ['an operation that is not an object', ['ProductOffers.v1'], 'invalid_variables'],
    [
      'a server-owned location',
      {...productOffers('a'), variables: {...productOffers('a').variables, location: {ipAddress: '6.6.6.6'}}},
      'invalid_variables',
    ],
    [
      'a server-owned shopper identity',
      {
        ...productOffers('a'),
        variables: {...productOffers('a').variables, shopperIdentity: {lwaAccessToken: {value: 'x'}}},
      },
      'invalid_variables',
    ],
    ['a SKU of 256 characters', productOffers('x'.repeat(256)), 'invalid_variables'],
    ['an empty SKU', productOffers(''), 'invalid_variables'],
    ['a quantity of 0', productOffers('a', 0), 'invalid_variables'],
    ['a quantity of 1000', productOffers('a', 1000), 'invalid_variables'],
    ['a fractional quantity', productOffers('a', 1.5), 'invalid_variables'],
    ['a quantity as a string', productOffers('a', '2' as unknown as number), 'invalid_variables'],
    [
      '41 line items',
      {
        documentId: 'ProductOffers.v1',
        variables: {lineItems: Array.from({length: 41}, (_, i) => ({product: {productId: `p${i}`}}))},
      },
      'invalid_variables',
    ],
    ['no line items', {documentId: 'ProductOffers.v1', variables: {lineItems: []}}, 'invalid_variables'],
    [
      'two identifiers for one product',
      {
        documentId: 'ProductOffers.v1',
        variables: {lineItems: [{product: {identifier: {sku: 'a', productId: 'b'}}}]},
      },
      'invalid_variables',
    ],
    [
      'a checkout address without a postal code',
      {
        documentId: 'CheckoutOffers.v1',
        variables: {
          lineItems: [{product: {productId: 'p'}}],
          shippingAddress: {...ADDRESS, postalCode: undefined},
        },
      },
      'invalid_variables',
    ],
    [
      'a country code that is not two capital letters',
      {
        documentId: 'CheckoutOffers.v1',
        variables: {
          lineItems: [{product: {productId: 'p'}}],
          shippingAddress: {...ADDRESS, countryCode: 'usa'},
        },
      },
      'invalid_variables',
    ],
    [
      'a street address of 181 characters',
      {
        documentId: 'CheckoutOffers.v1',
        variables: {
          lineItems: [{product: {productId: 'p'}}],
          shippingAddress: {...ADDRESS, streetAddress: 's'.repeat(181)},
        },
      },
      'invalid_variables',
    ],
    [
      'a delivery preview product without an identifier',
      {
        documentId: 'DeliveryPreview.v1',
        variables: {products: [{amount: {value: 1}}], shippingAddress: ADDRESS},
      },
      'invalid_variables',
    ],
  ];

  for (const [name, operation, reason] of badOperations) {
    it(`refuses ${name} (${reason})`, async () => {
      await refused(() => proxy.post(operation), 200, reason);
    });
  }

  it('points at the line item and field that are wrong, without echoing what was sent', async () => {
    const lines = [{product: {productId: 'ok'}}, {product: {productId: 'ok'}, amount: {value: 0}}];
    const error = await refused(
      () => proxy.post({documentId: 'ProductOffers.v1', variables: {lineItems: lines}}),
      200,
      'invalid_variables',
    );
    assert.equal(error.extensions.lineIndex, 1);
    assert.equal(error.extensions.field, 'variables.lineItems[1].amount.value');
    const sneaky = await proxy.post({
      documentId: 'ProductOffers.v1',
      variables: {lineItems: [{product: {productId: 'ok'}, '<script>alert(1)</script>': 1}]},
    });
    assert.doesNotMatch(await sneaky.text(), /script/);
  });

  it('answers each operation of a batch on its own: a bad one does not sink the good ones', async () => {
    const response = await proxy.post([{documentId: 'Nope.v1'}, productOffers('x'.repeat(300))]);
    const body = (await response.json()) as Envelope[];
    assert.deepEqual(
      body.map((result) => result.errors![0]!.extensions.reason),
      ['unknown_document', 'invalid_variables'],
    );
    assert.equal(api.upstreamCalls, 0);
  });

  it('refuses GET and other methods with 405 and an Allow header', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const send = () => proxy.fetch(`${proxy.url}/bwp/graphql?documentId=ProductOffers.v1`, {method});
      await refused(send, 405, 'method_not_allowed');
      assert.equal((await send()).headers.get('allow'), 'POST, OPTIONS');
    }
  });

  for (const type of [
    null,
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonp',
  ]) {
    it(`refuses the content type ${type ?? '(none)'} with 415, so a cross-site form cannot post (CSRF)`, async () => {
      const send = () =>
        proxy.fetch(`${proxy.url}/bwp/graphql`, {
          method: 'POST',
          headers: type ? {'content-type': type} : {},
          body:
            type === null
              ? new Blob([JSON.stringify(productOffers('a'))])
              : JSON.stringify(productOffers('a')),
        });
      await refused(send, 415, 'unsupported_media_type');
    });
  }

  it('accepts application/json with a charset parameter', async () => {
    const response = await proxy.post(productOffers('a'), {
      'content-type': 'application/json; charset=utf-8',
    });
    assert.equal(response.status, 200);
    assert.equal(api.graphqlCalls.length, 1);
    api.graphqlCalls.length = 0;
  });

  it('refuses a body whose Content-Length is over 16 KB with 413 before reading any of it', async () => {
    const before = audit.logs.length;
    const body = JSON.stringify({...productOffers('a'), padding: 'x'.repeat(20_000)});
    await refused(() => wire.post(body), 413, 'body_too_large');
    assert.equal(audit.logs.at(before)?.bodyBytes, 0);
  });

  it('stops reading a streamed body without Content-Length once it passes 16 KB', async () => {
    const before = audit.logs.length;
    let sent = 0; // what the client offered; loopback socket buffers take most of it
    const chunk = new TextEncoder().encode(`[${' '.repeat(4094)}`);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // 1 MB offered in 4 KB chunks, produced only as fast as they are taken.
        if (sent >= 1024 * 1024) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const send = () =>
      wire.fetch(`${wire.url}/bwp/graphql`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: stream,
        duplex: 'half',
      } as RequestInit);
    await refused(send, 413, 'body_too_large');
    const read = audit.logs.at(before)!.bodyBytes!;
    assert.ok(read > 16 * 1024 && read <= 16 * 1024 + chunk.byteLength * 4, `read ${read} bytes`);
  });

  it('refuses a batch over 50 documents, and takes 48 (a product grid) in one request', async () => {
    const many = Array.from({length: 51}, (_, i) => productOffers(`sku-${i}`));
    await refused(() => proxy.post(many), 400, 'batch_too_large');
    await refused(() => proxy.post([]), 400, 'empty_batch');
    const grid = await proxy.post(many.slice(0, 48));
    assert.equal(grid.status, 200);
    assert.equal(((await grid.json()) as unknown[]).length, 48);
    assert.equal(api.graphqlCalls.length, 48);
    api.graphqlCalls.length = 0;
  });

  it('refuses deep nesting before parsing it, and malformed JSON', async () => {
    await refused(() => proxy.post(`${'['.repeat(5000)}${']'.repeat(5000)}`), 400, 'too_deep');
    const deepVariables = {documentId: 'ProductOffers.v1', variables: {a: {b: {c: {d: {e: {f: {g: {}}}}}}}}};
    await refused(() => proxy.post(deepVariables), 400, 'too_deep');
    await refused(() => proxy.post('{"documentId": '), 400, 'malformed_json');
    const notUtf8 = () =>
      proxy.fetch(`${proxy.url}/bwp/graphql`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: new Uint8Array([0x7b, 0xff, 0x7d]),
      });
    await refused(notUtf8, 400, 'malformed_json');
  });

  it('refuses a shopper token that is empty, over 2048 characters or not plain text', async () => {
    for (const token of ['x'.repeat(2049), 'has space', '']) {
      await refused(
        () => proxy.post(productOffers('a'), {'x-bwp-shopper-token': token}),
        400,
        'invalid_shopper_token',
      );
    }
  });

  it('accepts a shopper token of exactly 2048 characters', async () => {
    const token = `Atza|${'t'.repeat(2043)}`;
    audit.addSecret(token);
    const response = await proxy.post(productOffers('a'), {'x-bwp-shopper-token': token});
    assert.equal(response.status, 200);
    assert.equal(api.graphqlCalls.at(-1)!.variables.shopperIdentity.lwaAccessToken.value, token);
    api.graphqlCalls.length = 0;
  });

  it('refuses a POST from an origin that is not allowed with 403', async () => {
    const send = () =>
      proxy.post(productOffers('a'), {origin: 'https://evil.example', 'x-bwp-shopper-token': SHOPPER_TOKEN});
    await refused(send, 403, 'origin_not_allowed');
    assert.equal((await send()).headers.get('access-control-allow-origin'), null);
  });
});
