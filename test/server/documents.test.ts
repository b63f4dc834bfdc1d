import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {parse, validate} from 'graphql';
import {CHECKOUT_OFFERS, DELIVERY_PREVIEW, PRODUCT_OFFERS} from '../../src/api/protocol.ts';
import {
  DOCUMENTS,
  renderDocument,
  requestBody,
  type PersistedDocument,
} from '../../server/operations/documents.ts';
import {createSchema} from '../../server/sandbox/schema.ts';

describe('persisted documents', () => {
  it('the browser asks only for ids the proxy knows', () => {
    for (const id of [PRODUCT_OFFERS, CHECKOUT_OFFERS, DELIVERY_PREVIEW])
      assert.ok(DOCUMENTS.has(id), `${id} is not a persisted document`);
  });

  it('every document parses and is a single query named by its operationName', () => {
    for (const document of DOCUMENTS.values()) {
      const ast = parse(document.query);
      assert.equal(ast.definitions.length, 1);
      const [definition] = ast.definitions;
      assert.equal(definition?.kind, 'OperationDefinition');
      assert.equal(definition.kind === 'OperationDefinition' && definition.operation, 'query');
      assert.equal(
        definition.kind === 'OperationDefinition' && definition.name?.value,
        document.operationName,
      );
    }
  });

  it('every document validates against the sandbox schema, as the proxy renders it', () => {
    const schema = createSchema();
    const line = {product: {identifier: {sku: 'sku-1'}}, amount: {unit: 'ONE', value: 1}};
    const shippingAddress = {postalCode: '98109', countryCode: 'US'};
    const variables: Record<string, Record<string, unknown>> = {
      'ProductOffers.v1': {lineItems: [line], location: {ipAddress: '203.0.113.7'}},
      'CheckoutOffers.v1': {lineItems: [line], shippingAddress},
      'DeliveryPreview.v1': {products: [{productIdentifier: {sku: 'sku-1'}}], shippingAddress},
    };
    for (const document of DOCUMENTS.values()) {
      const {query} = renderDocument(document, variables[document.id]!);
      const errors = validate(schema, parse(query)).map((error) => error.message);
      assert.deepEqual(errors, [], `${document.id} does not validate`);
    }
  });

  it('writes the upstream body as JSON.stringify(renderDocument(…)) would, byte for byte, the second time as the first', () => {
    const odd = 'quote " backslash \\ tab \t line\u2028separator é 😀';
    const plain: PersistedDocument = {
      id: 'Odd.v1',
      operationName: 'Odd',
      query: `query Odd { a(b: ${JSON.stringify(odd)}) }`,
    };
    const line = {product: {identifier: {sku: odd}}, amount: {unit: 'ONE', value: 1.5}};
    const variables = {
      lineItems: [line],
      products: [{productIdentifier: {sku: odd}}],
      shippingAddress: {postalCode: '98109', countryCode: 'US', note: odd},
      location: {ipAddress: '203.0.113.7'},
      shopperIdentity: null,
      n: [1.5, null, true, odd],
    };
    for (const document of [...DOCUMENTS.values(), plain])
      for (let time = 0; time < 2; time++)
        assert.equal(
          requestBody(document, variables),
          JSON.stringify(renderDocument(document, variables)),
          document.id,
        );
  });
});
