import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {line, lwa, OFFERS, PREVIEW, sandboxClient, SEATTLE, TOKENS} from './sandbox-client.ts';

const FROM_OFFER = `mutation($input: CreateOrderFromOfferInput!) { createOrderFromOffer(input: $input) { order { id
  lineItems { deliveryOffer { details { id deliveryPreviewId date { earliest latest } policy { messaging { messageText badge } } } } } } } }`;
const CREATE = `mutation($input: CreateOrderInput) { createOrder(input: $input) { order { id
  lineItems { deliveryOffer { details { id deliveryPreviewId policy { messaging { messageText badge } } } } } } } }`;
const ORDER = `query($id: ID) { order(id: $id) { id lineItems { deliveryOffer { details { id date { earliest latest }
  policy { messaging { messageText locale badge } } } } } } }`;

const identity = lwa(TOKENS.lwaPrime);
const checkoutOffers = (skus: string[], address = SEATTLE) => ({
  input: {
    lineItems: skus.map((sku) => line(sku)),
    location: {shippingAddress: address},
    shopperIdentity: identity,
  },
});
const primeLine = (sku: string, deliveryPreviewId?: string, id?: string) => ({
  product: {identifier: {sku}},
  amount: {value: 1},
  selectedDeliveryOffer: {
    details: {deliveryProvider: 'AMAZON', deliveryTerms: {isPrimeEligible: true}, deliveryPreviewId, id},
  },
});
const merchantLine = (sku: string) => ({
  product: {identifier: {sku}},
  amount: {value: 1},
  selectedDeliveryOffer: {
    summary: {deliveryProvider: 'MERCHANT', deliveryMessage: {messageText: 'Ships in 3-5 days'}},
  },
});
const order = (lineItems: unknown[], recipient = SEATTLE) => ({
  input: {lineItems, recipient: {deliveryAddress: recipient}, shopperIdentity: identity},
});

async function previewIds(
  sandbox: ReturnType<typeof sandboxClient>,
  sku: string,
  address: Record<string, string> = SEATTLE,
) {
  const data = await sandbox.data(PREVIEW, {
    input: {
      products: [{productIdentifier: {sku}}],
      location: {shippingAddress: address},
      shopperIdentity: identity,
    },
  });
  return {
    previewId: data.deliveryPreview.id,
    offerId: data.deliveryPreview.deliveryGroups[0].deliveryOffers[0].id,
  };
}

describe('sandbox orders', () => {
  it('turns an offer into an order that keeps the offer lines and their delivery promise', async () => {
    const sandbox = sandboxClient();
    const offer = (await sandbox.data(OFFERS, checkoutOffers(['example-sku-1', 'TEE-NAVY-M']))).offers
      .edges[0].node;
    const created = (await sandbox.data(FROM_OFFER, {input: {baseOfferId: offer.id}})).createOrderFromOffer
      .order;
    // The clock moves on; the order's promise does not.
    sandbox.clock.now = new Date('2026-11-23T20:00:00Z');
    const {order: stored} = await sandbox.data(ORDER, {id: created.id});
    assert.equal(stored.lineItems.length, 2);
    for (const [i, lineItem] of stored.lineItems.entries()) {
      const promised = offer.lineItems[i].deliveryOffer.details;
      assert.equal(lineItem.deliveryOffer.details.id, promised.id);
      assert.deepEqual(lineItem.deliveryOffer.details.date, promised.date);
      assert.deepEqual(lineItem.deliveryOffer.details.policy.messaging, promised.policy.messaging);
    }
  });

  it('refuses an offer that expired before createOrderFromOffer (ExpiredOffer), and an unknown one', async () => {
    const sandbox = sandboxClient({offerTtlSeconds: 60});
    const offer = (await sandbox.data(OFFERS, checkoutOffers(['example-sku-1']))).offers.edges[0].node;
    assert.equal(offer.expiresAt, '2026-11-20T15:01:00.000Z');
    sandbox.clock.now = new Date('2026-11-20T15:01:00Z');
    assert.deepEqual(await sandbox.classification(FROM_OFFER, {input: {baseOfferId: offer.id}}), {
      type: 'ValidationError',
      errorType: 'ExpiredOffer',
      errorCode: 400,
    });
    const unknown = await sandbox.classification(FROM_OFFER, {input: {baseOfferId: 'OFFER-nope'}});
    assert.equal(unknown.type, 'ResourceNotFoundError');
  });

  it('refuses to order from an offer made without a full address, or with a different recipient', async () => {
    const sandbox = sandboxClient();
    const anonymous = (
      await sandbox.data(OFFERS, {input: {lineItems: [line('example-sku-1')], shopperIdentity: identity}})
    ).offers.edges[0].node;
    assert.equal(
      (await sandbox.classification(FROM_OFFER, {input: {baseOfferId: anonymous.id}})).errorType,
      'InvalidAddress',
    );
    const offer = (await sandbox.data(OFFERS, checkoutOffers(['example-sku-1']))).offers.edges[0].node;
    const elsewhere = {...SEATTLE, streetAddress: '1 Main St'};
    const mismatch = {input: {baseOfferId: offer.id, recipient: {deliveryAddress: elsewhere}}};
    assert.equal((await sandbox.classification(FROM_OFFER, mismatch)).errorType, 'AddressMismatch');
    const same = {...SEATTLE, streetAddress: '410 terry avenue n.', postalCode: '98109-5210'};
    const ok = await sandbox.data(FROM_OFFER, {
      input: {baseOfferId: offer.id, recipient: {deliveryAddress: same}},
    });
    assert.match(ok.createOrderFromOffer.order.id, /^ORDER-/);
  });

  it('creates a Prime order only from a delivery preview the sandbox issued, for the address it was made for', async () => {
    const sandbox = sandboxClient();
    const {previewId, offerId} = await previewIds(sandbox, 'example-sku-1');
    const made = await sandbox.data(CREATE, order([primeLine('example-sku-1', previewId, offerId)]));
    const details = made.createOrder.order.lineItems[0].deliveryOffer.details;
    assert.deepEqual([details.deliveryPreviewId, details.id], [previewId, offerId]);
    assert.deepEqual(details.policy.messaging, {messageText: 'Get it Tuesday, Nov 24', badge: 'PRIME'});

    const elsewhere = {...SEATTLE, streetAddress: '1 Main St'};
    const mismatch = order([primeLine('example-sku-1', previewId, offerId)], elsewhere);
    assert.deepEqual(await sandbox.classification(CREATE, mismatch), {
      type: 'ValidationError',
      errorType: 'AddressMismatch',
      errorCode: 400,
    });
    const unknown = order([primeLine('example-sku-1', 'DP-unknown', offerId)]);
    assert.equal((await sandbox.classification(CREATE, unknown)).type, 'ResourceNotFoundError');
    const otherProduct = order([primeLine('TEE-NAVY-M', previewId, offerId)]);
    assert.equal((await sandbox.classification(CREATE, otherProduct)).errorType, 'InvalidInput');
    const halfIds = order([primeLine('example-sku-1', previewId)]);
    assert.equal((await sandbox.classification(CREATE, halfIds)).errorType, 'InvalidInput');
  });

  it('refuses a delivery offer used after its expiry (ExpiredDeliveryOffer)', async () => {
    const sandbox = sandboxClient();
    const {previewId, offerId} = await previewIds(sandbox, 'example-sku-1');
    sandbox.clock.now = new Date('2026-11-20T15:15:00Z');
    const late = order([primeLine('example-sku-1', previewId, offerId)]);
    assert.equal((await sandbox.classification(CREATE, late)).errorType, 'ExpiredDeliveryOffer');
  });

  it('refuses Prime delivery for a product or a shopper without it (ItemNotEligible)', async () => {
    const sandbox = sandboxClient();
    assert.equal(
      (await sandbox.classification(CREATE, order([primeLine('example-sku-2')]))).errorType,
      'ItemNotEligible',
    );
    const nonPrimeShopper = order([primeLine('example-sku-1')]);
    nonPrimeShopper.input.shopperIdentity = lwa(TOKENS.lwaNonPrime);
    assert.equal((await sandbox.classification(CREATE, nonPrimeShopper)).errorType, 'ItemNotEligible');
  });

  it('needs a sandbox shopper identity and a full recipient address for Amazon delivery', async () => {
    const sandbox = sandboxClient();
    const anonymous = {
      input: {lineItems: [primeLine('example-sku-1')], recipient: {deliveryAddress: SEATTLE}},
    };
    assert.equal((await sandbox.classification(CREATE, anonymous)).errorType, 'InvalidIdpToken');
    const zipOnly = order([primeLine('example-sku-1')], {postalCode: '98109'} as typeof SEATTLE);
    assert.equal((await sandbox.classification(CREATE, zipOnly)).errorType, 'InvalidAddress');
    const guam = order([primeLine('example-sku-1')], {...SEATTLE, region: 'GU', postalCode: '96910'});
    assert.equal((await sandbox.classification(CREATE, guam)).errorType, 'InvalidDestination');
    assert.equal((await sandbox.classification(CREATE, {input: null})).errorType, 'InvalidInput');
  });

  it('takes at most 20 Prime and 20 non-Prime items per order (LineItemLimitExceeded)', async () => {
    const sandbox = sandboxClient();
    const prime = (n: number) => Array.from({length: n}, () => primeLine('COFFEE-BEANS-1LB'));
    const other = (n: number) => Array.from({length: n}, () => merchantLine('TEA-LOOSE-SENCHA'));
    const full = await sandbox.data(CREATE, order([...prime(20), ...other(20)]));
    assert.equal(full.createOrder.order.lineItems.length, 40);
    assert.deepEqual(await sandbox.classification(CREATE, order(prime(21))), {
      type: 'ValidationError',
      errorType: 'LineItemLimitExceeded',
      errorCode: 400,
    });
    assert.equal((await sandbox.classification(CREATE, order(other(21)))).errorType, 'LineItemLimitExceeded');
    assert.equal(
      (await sandbox.classification(CREATE, order([...prime(20), ...other(21)]))).errorType,
      'LineItemLimitExceeded',
    );
    const offer = (
      await sandbox.data(OFFERS, checkoutOffers(Array.from({length: 21}, () => 'COFFEE-BEANS-1LB')))
    ).offers.edges[0].node;
    assert.equal(
      (await sandbox.classification(FROM_OFFER, {input: {baseOfferId: offer.id}})).errorType,
      'LineItemLimitExceeded',
    );
  });

  it('takes ordered units out of stock, as the sandbox does when an order is placed', async () => {
    const sandbox = sandboxClient();
    const vinyl = (value: number) => ({input: {lineItems: [line('VINYL-LTD-001', value)]}});
    assert.equal((await sandbox.data(OFFERS, vinyl(3))).offers.totalCount, 1);
    const two = {...primeLine('VINYL-LTD-001'), amount: {value: 2}};
    await sandbox.data(CREATE, order([two]));
    assert.equal((await sandbox.classification(OFFERS, vinyl(2))).errorType, 'ProductAmountUnavailable');
    assert.equal((await sandbox.data(OFFERS, vinyl(1))).offers.totalCount, 1);
  });

  it('refuses an order alias already used, and answers ResourceNotFoundError for an unknown order', async () => {
    const sandbox = sandboxClient();
    const aliased = order([merchantLine('example-sku-2')]) as any;
    aliased.input.aliases = [{aliasType: 'EXTERNAL_ID', aliasId: 'A-1'}];
    await sandbox.data(CREATE, aliased);
    assert.equal((await sandbox.classification(CREATE, aliased)).errorType, 'AliasValueAlreadyExists');
    const {body} = await sandbox.graphql(ORDER, {id: 'ORDER-nope'});
    assert.deepEqual(body.data, {order: null});
    assert.equal(body.errors![0].extensions.classification.type, 'ResourceNotFoundError');
  });
});
