import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {
  deliveryWindow,
  federalHolidays,
  formatDay,
  isBusinessDay,
  shipDate,
  zonedTime,
} from '../../server/sandbox/dates.ts';
import {destinationOf} from '../../server/sandbox/locations.ts';
import {FRIDAY, line, lwa, OFFERS, PREVIEW, sandboxClient, SEATTLE, TOKENS} from './sandbox-client.ts';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const at = (postalCode: string) => destinationOf({shippingAddress: {postalCode}});

describe('sandbox date engine', () => {
  it('computes the observed US federal holidays of any year', () => {
    const h2026 = federalHolidays(2026);
    for (const d of ['2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19', '2026-07-03']) {
      assert.ok(h2026.has(d), d); // July 4 2026 is a Saturday: observed Friday July 3
    }
    for (const d of ['2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25'])
      assert.ok(h2026.has(d), d);
    assert.equal(h2026.size, 11);
    assert.ok(federalHolidays(2027).has('2027-11-25')); // Thanksgiving: fourth Thursday
    assert.ok(federalHolidays(2027).has('2027-12-31')); // New Year's Day 2028 is a Saturday
    assert.ok(federalHolidays(2028).has('2028-01-17')); // MLK Day: third Monday
    assert.ok(federalHolidays(2031).has('2031-05-26')); // Memorial Day: last Monday
  });

  it('counts weekends and holidays out of business days', () => {
    assert.equal(isBusinessDay(day('2026-11-20')), true);
    assert.equal(isBusinessDay(day('2026-11-21')), false);
    assert.equal(isBusinessDay(day('2026-11-26')), false);
  });

  it('ships today before the 2 pm warehouse cut-off (Eastern time) and the next business day after it', () => {
    assert.equal(shipDate(new Date('2026-11-20T18:59:00Z')).toISOString().slice(0, 10), '2026-11-20');
    assert.equal(shipDate(new Date('2026-11-20T19:00:00Z')).toISOString().slice(0, 10), '2026-11-23');
    assert.equal(shipDate(new Date('2026-11-25T19:30:00Z')).toISOString().slice(0, 10), '2026-11-27');
    assert.equal(shipDate(new Date('2026-11-21T12:00:00Z')).toISOString().slice(0, 10), '2026-11-23');
  });

  it('gives Prime two business days, one-day one, standard 3 to 8 by distance from the warehouse, Alaska 4', () => {
    const fmt = (w: {first: Date; last: Date}) => `${formatDay(w.first)} / ${formatDay(w.last)}`;
    assert.equal(fmt(deliveryWindow(FRIDAY, 'TWO_DAY', at('98109'))), 'Tuesday, Nov 24 / Tuesday, Nov 24');
    assert.equal(fmt(deliveryWindow(FRIDAY, 'ONE_DAY', at('98109'))), 'Monday, Nov 23 / Monday, Nov 23');
    assert.equal(fmt(deliveryWindow(FRIDAY, 'STANDARD', at('40202'))), 'Wednesday, Nov 25 / Monday, Nov 30');
    assert.equal(fmt(deliveryWindow(FRIDAY, 'STANDARD', at('98109'))), 'Tuesday, Dec 1 / Thursday, Dec 3');
    assert.equal(fmt(deliveryWindow(FRIDAY, 'TWO_DAY', at('99501'))), 'Friday, Nov 27 / Friday, Nov 27');
    // Thanksgiving is skipped: an order on Tuesday after the cut-off ships Wednesday, arrives Monday.
    const tuesdayEvening = new Date('2026-11-24T23:00:00Z');
    assert.equal(formatDay(deliveryWindow(tuesdayEvening, 'TWO_DAY', at('10001')).first), 'Monday, Nov 30');
  });

  it('places delivery times in the destination time zone, 8 am to 8 pm, across DST', () => {
    assert.equal(
      zonedTime(day('2026-11-24'), 8, 'America/Los_Angeles').toISOString(),
      '2026-11-24T16:00:00.000Z',
    );
    assert.equal(
      zonedTime(day('2026-07-14'), 20, 'America/New_York').toISOString(),
      '2026-07-15T00:00:00.000Z',
    );
    assert.equal(
      zonedTime(day('2026-03-08'), 8, 'America/Chicago').toISOString(),
      '2026-03-08T13:00:00.000Z',
    );
    assert.equal(
      zonedTime(day('2026-11-24'), 8, 'Pacific/Honolulu').toISOString(),
      '2026-11-24T18:00:00.000Z',
    );
    assert.equal(at('85001').timeZone, 'America/Phoenix');
    assert.equal(at('99501').timeZone, 'America/Anchorage');
    assert.equal(at('60601').timeZone, 'America/Chicago');
    const window = deliveryWindow(FRIDAY, 'TWO_DAY', at('98109'));
    assert.equal(window.earliest.toISOString(), '2026-11-24T16:00:00.000Z');
    assert.equal(window.latest.toISOString(), '2026-11-25T04:00:00.000Z');
  });
});

describe('sandbox delivery promise by shopper', () => {
  const checkout = (
    token: string | undefined,
    shippingAddress: Record<string, string> = SEATTLE,
    sku = 'example-sku-1',
  ) => ({
    input: {
      lineItems: [line(sku)],
      location: {shippingAddress},
      ...(token ? {shopperIdentity: lwa(token)} : {}),
    },
  });
  const first = (data: any) => data.offers.edges[0].node.lineItems[0].deliveryOffer.details;

  it('says "Get it as soon as" with the PRIME badge and no expiry before the shopper is known', async () => {
    const sandbox = sandboxClient();
    const details = first(await sandbox.data(OFFERS, checkout(undefined)));
    assert.equal(details.policy.messaging.messageText, 'Get it as soon as Tuesday, Nov 24');
    assert.equal(details.policy.messaging.badge, 'PRIME');
    assert.equal(details.expiresAt, null);
  });

  it('says an exact "Get it" date with an expiry once a Prime member and a full address are known', async () => {
    const sandbox = sandboxClient();
    const details = first(await sandbox.data(OFFERS, checkout(TOKENS.lwaPrime)));
    assert.equal(details.policy.messaging.messageText, 'Get it Tuesday, Nov 24');
    assert.equal(details.policy.messaging.badge, 'PRIME');
    assert.equal(details.expiresAt, '2026-11-20T15:15:00.000Z');
    assert.deepEqual(details.price.totalPrice, {amount: 0, currencyCode: 'USD'});
    assert.match(details.id, /^DO-/);
    assert.match(details.deliveryPreviewId, /^DP-/);
  });

  it('keeps "as soon as" for a known shopper with only a postal code', async () => {
    const sandbox = sandboxClient();
    const details = first(await sandbox.data(OFFERS, checkout(TOKENS.lwaPrime, {postalCode: '98109'})));
    assert.equal(details.policy.messaging.messageText, 'Get it as soon as Tuesday, Nov 24');
    assert.equal(details.expiresAt, null);
  });

  it('gives a signed-in non-Prime shopper no PRIME badge and paid standard delivery', async () => {
    const sandbox = sandboxClient();
    {
      const details = first(await sandbox.data(OFFERS, checkout(TOKENS.lwaNonPrime)));
      assert.equal(details.policy.messaging.badge, 'NONE');
      assert.equal(details.policy.messaging.messageText, 'Get it Tuesday, Dec 1 – Thursday, Dec 3');
      assert.deepEqual(details.deliveryTerms, {isPrimeEligible: false, deliverySpeed: 'Standard'});
      assert.equal(details.id, null);
      assert.equal(details.price.totalPrice.amount, 5.99);
    }
    const apay = {apayCheckoutSessionId: {value: TOKENS.apayNonPrime, externalId: 'checkout-1'}};
    const preview = await sandbox.data(PREVIEW, {
      input: {
        products: [{productIdentifier: {sku: 'example-sku-1'}}],
        location: {shippingAddress: SEATTLE},
        shopperIdentity: apay,
      },
    });
    assert.deepEqual(
      preview.deliveryPreview.deliveryGroups[0].deliveryOffers.map((o: any) => o.policy.messaging.badge),
      ['NONE', 'NONE'],
    );
  });

  it('answers shopperBwPEligibility for every sandbox shopper token', async () => {
    const sandbox = sandboxClient();
    const query = `query($id: IdentityTokenInput!) { shopperBwPEligibility(identityToken: $id) { shopperId bwpEligibilityStatus } }`;
    const status = async (id: unknown) =>
      (await sandbox.data(query, {id})).shopperBwPEligibility.bwpEligibilityStatus;
    assert.equal(await status(lwa(TOKENS.lwaPrime)), 'PRIME');
    assert.equal(await status(lwa(TOKENS.lwaNonPrime)), 'NON_PRIME');
    assert.equal(await status({apayCheckoutSessionId: {value: TOKENS.apayPrime, externalId: 'x'}}), 'PRIME');
    assert.equal(
      await status({apayCheckoutSessionId: {value: TOKENS.apayNonPrime, externalId: 'x'}}),
      'NON_PRIME',
    );
  });

  it('lists a delivery preview group with Prime FREE two-day first, then paid one-day, each fully described', async () => {
    const sandbox = sandboxClient();
    const data = await sandbox.data(PREVIEW, {
      input: {
        products: [
          {productIdentifier: {SKU: 'TEE-NAVY-M'}, amount: {value: 2}},
          {productIdentifier: {sku: 'BOARD-ENGRAVED'}},
        ],
        location: {shippingAddress: SEATTLE},
        shopperIdentity: lwa(TOKENS.lwaPrime),
      },
    });
    const [shirts, board] = data.deliveryPreview.deliveryGroups;
    assert.deepEqual(shirts.products, [
      {
        productIdentifier: {__typename: 'SkuProductIdentifier', value: 'TEE-NAVY-M'},
        amount: {unit: null, value: 2},
      },
    ]);
    const [free, fast] = shirts.deliveryOffers;
    assert.deepEqual(free.price.totalPrice, {amount: 0, currencyCode: 'USD'});
    assert.deepEqual(free.policy.messaging, {
      messageText: 'Get it Tuesday, Nov 24',
      locale: 'en-US',
      badge: 'PRIME',
    });
    assert.deepEqual(free.date, {earliest: '2026-11-24T16:00:00.000Z', latest: '2026-11-25T04:00:00.000Z'});
    assert.equal(free.expiresAt, '2026-11-20T15:15:00.000Z');
    assert.deepEqual(fast.price.totalPrice, {amount: 7.99, currencyCode: 'USD'});
    assert.equal(fast.policy.messaging.messageText, 'Get it Monday, Nov 23');
    assert.deepEqual(fast.terms, {isPrimeEligible: true, deliverySpeed: 'Expedited'});
    // The engraved board needs two days of handling: its own shipment, later.
    assert.equal(board.deliveryOffers[0].policy.messaging.messageText, 'Get it Friday, Nov 27');
  });

  it('filters delivery preview offers by terms', async () => {
    const sandbox = sandboxClient();
    const data = await sandbox.data(PREVIEW, {
      input: {
        products: [{productIdentifier: {productId: 'bwp-yoga-mat'}}],
        terms: {deliverySpeed: 'EXPEDITED'},
      },
    });
    const offers = data.deliveryPreview.deliveryGroups[0].deliveryOffers;
    assert.equal(offers.length, 1);
    assert.equal(offers[0].policy.messaging.messageText, 'Get it as soon as Monday, Nov 23');
  });

  it('gives size and colour variants their own Prime eligibility', async () => {
    const sandbox = sandboxClient();
    const badge = async (sku: string) =>
      first(await sandbox.data(OFFERS, {input: {lineItems: [line(sku)]}})).policy.messaging.badge;
    assert.equal(await badge('TEE-NAVY-M'), 'PRIME');
    assert.equal(await badge('TEE-NAVY-XXL'), 'NONE');
    assert.equal(await badge('TEE-HEATHER-GREY-XXL'), 'PRIME');
    assert.equal(await badge('TEE-CORAL-M'), 'NONE');
  });
});
