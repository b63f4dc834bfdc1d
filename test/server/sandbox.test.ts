import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {PRODUCT_OFFERS, renderDocument} from '../../server/operations/documents.ts';
import {createSandbox} from '../../server/sandbox/sandbox.ts';
import {form, listen, type Served} from './helpers.ts';

const NOW = new Date('2026-11-20T15:00:00Z'); // a Friday

describe('sandbox over HTTP', () => {
  let served: Served;
  before(async () => {
    served = await listen(createSandbox({now: () => NOW}));
  });
  after(() => served.close());

  async function token(): Promise<string> {
    const response = await fetch(`${served.url}/token`, {
      method: 'POST',
      headers: {'content-type': 'application/x-www-form-urlencoded'},
      body: form({
        grant_type: 'client_credentials',
        client_id: 'sandbox-client',
        client_secret: 'sandbox-secret',
      }),
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as {access_token: string; token_type: string; expires_in: number};
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 900);
    return body.access_token;
  }

  async function graphql(query: string, variables: unknown, headers: Record<string, string>) {
    const response = await fetch(`${served.url}/graphql`, {
      method: 'POST',
      headers: {'content-type': 'application/json', ...headers},
      body: JSON.stringify({query, variables}),
    });
    return {status: response.status, body: (await response.json()) as {data?: any; errors?: any[]}};
  }

  const authorized = async () => ({
    authorization: `Bearer ${await token()}`,
    'x-api-target-id': 'sandbox-target',
  });
  // The persisted document as the proxy sends it: line items inline, location as a variable.
  const productOffers = (identifier: Record<string, string>) => {
    const {query, variables} = renderDocument(PRODUCT_OFFERS, {
      lineItems: [{product: {identifier}, amount: {unit: 'ONE', value: 1}}],
      location: {ipAddress: '203.0.113.7'},
    });
    return [query, variables] as const;
  };

  it('issues a token for client credentials sent by HTTP Basic', async () => {
    const response = await fetch(`${served.url}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${btoa('sandbox-client:sandbox-secret')}`,
      },
      body: form({grant_type: 'client_credentials'}),
    });
    assert.equal(response.status, 200);
    assert.match(((await response.json()) as {access_token: string}).access_token, /^sbx\./);
  });

  it('refuses a wrong client secret', async () => {
    const response = await fetch(`${served.url}/token`, {
      method: 'POST',
      body: form({grant_type: 'client_credentials', client_id: 'sandbox-client', client_secret: 'nope'}),
    });
    assert.equal(response.status, 401);
  });

  it('answers AccessDeniedError without a bearer token', async () => {
    const {status, body} = await graphql(...productOffers({sku: 'example-sku-1'}), {
      'x-api-target-id': 'sandbox-target',
    });
    assert.equal(status, 401);
    assert.equal(body.errors?.[0].extensions.classification.type, 'AccessDeniedError');
    assert.equal(body.data, null);
  });

  it('gives the seed Prime book a PRIME delivery promise and free returns', async () => {
    const {body} = await graphql(...productOffers({sku: 'example-sku-1'}), await authorized());
    assert.equal(body.errors, undefined);
    const line = body.data.offers.edges[0].node.lineItems[0];
    assert.equal(line.product.productId.value, 'example-product-id-1');
    assert.equal(line.deliveryOffer.summary.deliveryMessage.badge, 'PRIME');
    assert.equal(line.deliveryOffer.summary.deliveryMessage.messageText, 'Get it as soon as Tuesday, Nov 24');
    assert.deepEqual(line.reversalOffers.summary.resolutionTypes, ['RETURN']);
    assert.equal(line.reversalOffers.summary.title.value, 'Free 30-day returns');
  });

  it('gives the seed non-Prime book no Prime badge', async () => {
    const {body} = await graphql(...productOffers({sku: 'example-sku-2'}), await authorized());
    const line = body.data.offers.edges[0].node.lineItems[0];
    assert.equal(line.deliveryOffer.details.policy.messaging.badge, 'NONE');
    assert.equal(line.deliveryOffer.details.id, null);
    assert.deepEqual(line.reversalOffers.summary.resolutionTypes, []);
  });

  it('answers ResourceNotFoundError for an unknown product', async () => {
    const {body} = await graphql(...productOffers({sku: 'no-such-sku'}), await authorized());
    assert.deepEqual(body.data, {offers: null}); // the failed root field is null, as in the documented envelope
    assert.equal(body.errors?.[0].extensions.classification.type, 'ResourceNotFoundError');
  });

  it('fails an unknown field as a GraphQL server does', async () => {
    const {body} = await graphql('{ offers(input: {lineItems: []}) { nope } }', {}, await authorized());
    assert.match(body.errors?.[0].message, /Cannot query field "nope" on type "OfferConnection"/);
  });

  it('runs the seed product-page query with the documented productId and "true" filter forms', async () => {
    const query = `query {
      offers(input: {lineItems: [{product: {productId: "example-product-id-1"}, amount: {unit: "ONE", value: 1},
        deliveryTerms: {isPrimeEligible: "true"}}], location: {ipAddress: "example-ip"}}) {
        edges { node { id lineItems { deliveryOffer { deliveryOfferSummary {
          deliveryMessage { messageText badge } deliveryProvider deliveryTerms { isPrimeEligible deliverySpeed } } } } } }
      }
    }`;
    const {body} = await graphql(query, {}, await authorized());
    assert.equal(body.errors, undefined);
    const summary = body.data.offers.edges[0].node.lineItems[0].deliveryOffer.deliveryOfferSummary;
    assert.equal(summary.deliveryProvider, 'AMAZON');
    assert.equal(summary.deliveryMessage.badge, 'PRIME');
    assert.equal(summary.deliveryTerms.isPrimeEligible, true);
  });
});
