import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {sandboxInputType} from '../../server/sandbox/schema.ts';
import {line, lwa, OFFERS, PREVIEW, sandboxClient, SEATTLE, TOKENS} from './sandbox-client.ts';

const offersAt = (shippingAddress: Record<string, string>, sku = 'example-sku-1') => ({
  input: {lineItems: [line(sku)], location: {shippingAddress}},
});
const previewOf = (sku: string, extra: Record<string, unknown> = {}) => ({
  input: {
    products: [{productIdentifier: {sku}, amount: {value: 1}}],
    location: {shippingAddress: SEATTLE},
    ...extra,
  },
});

describe('sandbox errors, in the documented envelope', () => {
  it('answers ResourceNotFoundError for an unknown product, with the failed root field null', async () => {
    const sandbox = sandboxClient();
    const {status, body} = await sandbox.graphql(PREVIEW, previewOf('NO-SUCH-SKU'));
    assert.equal(status, 200);
    assert.deepEqual(body.data, {deliveryPreview: null});
    assert.deepEqual(body.errors![0].path, ['deliveryPreview']);
    assert.deepEqual(body.errors![0].extensions.classification, {
      type: 'ResourceNotFoundError',
      errorType: 'ResourceNotFoundException',
      errorCode: 404,
    });
    assert.deepEqual(body.errors![0].locations, [{line: 3, column: 5}]);
  });

  it('answers InvalidAddress for an incomplete or malformed address', async () => {
    const sandbox = sandboxClient();
    const noStreet: Record<string, string> = {...SEATTLE};
    delete noStreet.streetAddress;
    for (const address of [
      noStreet,
      {...SEATTLE, postalCode: '9810'},
      {...SEATTLE, postalCode: ''},
      {...SEATTLE, region: 'ZZ'},
      {...SEATTLE, region: 'NY'}, // 98109 is not in New York
    ]) {
      assert.deepEqual(await sandbox.classification(OFFERS, offersAt(address)), {
        type: 'ValidationError',
        errorType: 'InvalidAddress',
        errorCode: 400,
      });
    }
  });

  it('accepts a postal code alone, the documented zip-code granularity', async () => {
    const sandbox = sandboxClient();
    const data = await sandbox.data(OFFERS, offersAt({postalCode: '10001'}));
    assert.equal(data.offers.totalCount, 1);
  });

  it('answers InvalidDestination for every listed territory and military region, and for other countries', async () => {
    const sandbox = sandboxClient();
    for (const region of ['AS', 'FM', 'GU', 'MH', 'MP', 'PR', 'PW', 'VI', 'AA', 'AE', 'AP']) {
      const {errorType} = await sandbox.classification(OFFERS, offersAt({...SEATTLE, region}));
      assert.equal(errorType, 'InvalidDestination', region);
    }
    for (const postalCode of ['00901', '00802', '96910', '09021', '34001', '96201', '96799']) {
      const {errorType} = await sandbox.classification(OFFERS, offersAt({postalCode}));
      assert.equal(errorType, 'InvalidDestination', postalCode);
    }
    const abroad = {...SEATTLE, countryCode: 'CA', region: 'BC', postalCode: 'V6B 1A1'};
    assert.equal((await sandbox.classification(OFFERS, offersAt(abroad))).errorType, 'InvalidDestination');
  });

  it('answers ProductAmountUnavailable past the stock and ProductOutOfStock at none, for offers and delivery previews', async () => {
    const sandbox = sandboxClient();
    const vinyl = {input: {lineItems: [line('VINYL-LTD-001', 4)]}};
    assert.equal((await sandbox.classification(OFFERS, vinyl)).errorType, 'ProductAmountUnavailable');
    assert.equal(
      (await sandbox.data(OFFERS, {input: {lineItems: [line('VINYL-LTD-001', 3)]}})).offers.totalCount,
      1,
    );
    const grinder = previewOf('GRINDER-ESPRESSO');
    assert.equal((await sandbox.classification(PREVIEW, grinder)).errorType, 'ProductOutOfStock');
    const grinderOffers = {input: {lineItems: [line('GRINDER-ESPRESSO')]}};
    assert.equal((await sandbox.classification(OFFERS, grinderOffers)).errorType, 'ProductOutOfStock');
  });

  it('answers InvalidIdpToken for a token that is not a sandbox shopper token', async () => {
    const sandbox = sandboxClient();
    const input = {
      input: {lineItems: [line('example-sku-1')], shopperIdentity: lwa('EXAMPLE_LWA_ACCESS_TOKEN')},
    };
    assert.deepEqual(await sandbox.classification(OFFERS, input), {
      type: 'ValidationError',
      errorType: 'InvalidIdpToken',
      errorCode: 400,
    });
    const swapped = {input: {lineItems: [line('example-sku-1')], shopperIdentity: lwa(TOKENS.apayPrime)}};
    assert.equal((await sandbox.classification(OFFERS, swapped)).errorType, 'InvalidIdpToken');
  });

  it('answers ExpiredIdpToken for the expired sandbox shopper tokens', async () => {
    const sandbox = sandboxClient();
    const lwaExpired = {input: {lineItems: [line('example-sku-1')], shopperIdentity: lwa(TOKENS.lwaExpired)}};
    assert.equal((await sandbox.classification(OFFERS, lwaExpired)).errorType, 'ExpiredIdpToken');
    const apay = {apayCheckoutSessionId: {value: TOKENS.apayExpired, externalId: 'checkout-1'}};
    const query = `query($id: IdentityTokenInput!) { shopperBwPEligibility(identityToken: $id) { bwpEligibilityStatus } }`;
    assert.equal((await sandbox.classification(query, {id: apay})).errorType, 'ExpiredIdpToken');
  });

  it('answers ProductNotPrimeEnabled when a delivery preview asks for a product without Buy with Prime', async () => {
    const sandbox = sandboxClient();
    const {body} = await sandbox.graphql(PREVIEW, previewOf('example-sku-2'));
    assert.deepEqual(body.errors![0].extensions.classification, {
      type: 'ValidationError',
      errorType: 'ProductNotPrimeEnabled',
      errorCode: 400,
    });
    assert.match(
      body.errors![0].message,
      /Delivery Preview isn't available for products that don't offer Buy with Prime/,
    );
    assert.equal(
      (await sandbox.classification(PREVIEW, previewOf('TEE-NAVY-XXL'))).errorType,
      'ProductNotPrimeEnabled',
    );
  });

  it('refuses more than 40 offer lines with LineItemLimitExceeded', async () => {
    const sandbox = sandboxClient();
    const lineItems = Array.from({length: 41}, () => line('example-sku-1'));
    assert.equal(
      (await sandbox.classification(OFFERS, {input: {lineItems}})).errorType,
      'LineItemLimitExceeded',
    );
    const forty = await sandbox.data(OFFERS, {input: {lineItems: lineItems.slice(1)}});
    assert.equal(forty.offers.edges[0].node.lineItems.length, 40);
  });

  it('refuses a product named two ways at once', async () => {
    const sandbox = sandboxClient();
    const both = {
      input: {
        lineItems: [{product: {identifier: {sku: 'example-sku-1', productId: 'example-product-id-1'}}}],
      },
    };
    assert.equal((await sandbox.classification(OFFERS, both)).errorType, 'InvalidInput');
  });

  it('fails bad variables and unknown fields exactly as a GraphQL server does', async () => {
    const sandbox = sandboxClient();
    const missing = await sandbox.graphql(OFFERS, {});
    assert.match(
      missing.body.errors![0].message,
      new RegExp(
        `Variable "\\$input" of required type "${sandboxInputType('OffersInput')}!" was not provided`,
      ),
    );
    assert.equal(missing.body.data, undefined);
    const wrongType = await sandbox.graphql(OFFERS, {
      input: {lineItems: [{product: {productId: 1}, amount: {value: 'x'}}]},
    });
    assert.match(
      wrongType.body.errors![0].message,
      /got invalid value "x" at "input.lineItems\[0\].amount.value"; Float cannot represent non numeric value/,
    );
    const badBoolean = await sandbox.graphql(OFFERS, {
      input: {
        lineItems: [{product: {productId: 'example-product-id-1'}, deliveryTerms: {isPrimeEligible: 'yes'}}],
      },
    });
    assert.match(badBoolean.body.errors![0].message, /LenientBoolean cannot represent "yes"/);
    const unknown = await sandbox.graphql('{ offers(input: {lineItems: []}) { edges { node { price } } } }');
    assert.match(unknown.body.errors![0].message, /Cannot query field "price" on type "Offer"/);
  });

  it('answers a resolver bug as InternalServerError without its message', async () => {
    const sandbox = sandboxClient({
      catalog: {
        find: () => {
          throw new Error('secret internal detail');
        },
        all: () => [],
      },
    });
    const {body} = await sandbox.graphql(OFFERS, {input: {lineItems: [line('example-sku-1')]}});
    assert.equal(body.errors![0].extensions.classification.type, 'InternalServerError');
    assert.doesNotMatch(JSON.stringify(body), /secret internal detail/);
  });
});
