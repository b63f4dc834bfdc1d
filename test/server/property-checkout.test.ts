// Property tests of the checkout normalizers and view builders (src/api/checkout.ts), with a published seed.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import fc from 'fast-check';
import {nearValid} from './arbitraries.ts';
import {
  buildCheckoutView,
  normalizeCheckoutOffers,
  normalizeDeliveryPreview,
  responseProblems,
  selectionOf,
  type CheckoutLineView,
  type CheckoutOffersView,
  type DeliveryChoice,
  type DeliveryPreviewView,
} from '../../src/api/checkout.ts';
import type {ReturnsView} from '../../src/api/types.ts';
import {ERROR_CODES as PROXY_ERROR_CODES} from '../../src/api/protocol.ts';

/** Published seed: a failure reproduces with the same seed and the path fast-check prints. */
const SEED = 20261122;
/** This file's third of BWP_FC_RUNS (see normalize.test.ts), split over its 5 properties. */
const RUNS = Math.round((Number(process.env.BWP_FC_RUNS) || 48_000) / 3 / 5);
const run = <T>(property: fc.IProperty<T>) => fc.assert(property, {seed: SEED, numRuns: RUNS});

const CODES: readonly string[] = PROXY_ERROR_CODES;

const isText = (value: unknown) => typeof value === 'string' && value.trim() !== '';
const textOrNull = (value: unknown) => value === null || isText(value);
const timeOrNull = (value: unknown) => value === null || Number.isFinite(value);
const keys = (value: unknown) => Object.keys(value as object).sort();

function assertReturns(value: unknown): asserts value is ReturnsView | null {
  if (value === null) return;
  const r = value as ReturnsView;
  assert.deepEqual(keys(r), ['description', 'returnable', 'title']);
  assert.ok(isText(r.title) && textOrNull(r.description));
  assert.equal(typeof r.returnable, 'boolean');
}

function assertChoice(value: unknown): asserts value is DeliveryChoice {
  const c = value as DeliveryChoice;
  assert.deepEqual(keys(c), [
    'deliverySpeed',
    'expiresAt',
    'id',
    'isPrimeEligible',
    'locale',
    'message',
    'price',
    'prime',
  ]);
  assert.ok(textOrNull(c.id) && textOrNull(c.message) && textOrNull(c.locale) && textOrNull(c.deliverySpeed));
  assert.equal(typeof c.prime, 'boolean');
  assert.equal(typeof c.isPrimeEligible, 'boolean');
  // The Prime badge only with a promise to show beside it.
  if (c.prime) assert.ok(isText(c.message));
  assert.ok(timeOrNull(c.expiresAt));
  if (c.price !== null) {
    assert.deepEqual(keys(c.price), ['amount', 'currencyCode']);
    assert.ok(Number.isFinite(c.price.amount) && isText(c.price.currencyCode));
  }
}

function assertLine(value: unknown): asserts value is CheckoutLineView {
  const l = value as CheckoutLineView;
  assert.deepEqual(keys(l), [
    'delivery',
    'deliveryPreviewId',
    'deliveryProvider',
    'productId',
    'quantity',
    'returns',
    'sku',
    'title',
  ]);
  assert.ok(textOrNull(l.title) && textOrNull(l.sku) && textOrNull(l.productId));
  assert.ok(textOrNull(l.deliveryPreviewId) && isText(l.deliveryProvider));
  assert.ok(l.quantity === null || typeof l.quantity === 'number');
  if (l.delivery !== null) assertChoice(l.delivery);
  assertReturns(l.returns);
}

function assertOffersView(view: unknown): asserts view is CheckoutOffersView | null {
  if (view === null) return;
  const v = view as CheckoutOffersView;
  assert.deepEqual(keys(v), ['expiresAt', 'lines', 'offerExpiresAt', 'offerId']);
  assert.ok(textOrNull(v.offerId) && textOrNull(v.offerExpiresAt) && timeOrNull(v.expiresAt));
  assert.ok(Array.isArray(v.lines));
  v.lines.forEach(assertLine);
  // The view expires with the soonest of the offer and its delivery offers.
  const times = [Date.parse(v.offerExpiresAt ?? ''), ...v.lines.map((l) => l.delivery?.expiresAt ?? NaN)];
  const finite = times.filter(Number.isFinite);
  assert.equal(v.expiresAt, finite.length ? Math.min(...finite) : null);
}

function assertPreviewView(view: unknown): asserts view is DeliveryPreviewView | null {
  if (view === null) return;
  const v = view as DeliveryPreviewView;
  assert.deepEqual(keys(v), ['groups', 'id']);
  assert.ok(textOrNull(v.id));
  for (const group of v.groups) {
    assert.deepEqual(keys(group), ['id', 'offers', 'products']);
    assert.ok(textOrNull(group.id));
    assert.ok(group.products.every(isText));
    for (const offer of group.offers) {
      assertChoice(offer);
      assert.ok(offer.id !== null, 'a delivery offer without an id cannot be chosen');
    }
  }
}

// Near-valid answers: every field the normalizers read, each plausible or junk, so every branch is reached.
const {maybe, part} = nearValid({plausibleWeight: 10, doubles: true});
const isoDate = fc.date({noInvalidDate: true}).map((d) => d.toISOString());
const words = fc.oneof(
  fc.constantFrom('Get it Tomorrow, Nov 24', 'FREE', ' ', ''),
  fc.string({maxLength: 12}),
);
const messaging = part({
  messageText: words,
  locale: fc.constantFrom('en-US', 'es-US', ''),
  badge: fc.constantFrom('PRIME', 'NONE', 'prime'),
});
const terms = part({
  isPrimeEligible: fc.constantFrom(true, 'true', false, 'false'),
  deliverySpeed: fc.constantFrom('STANDARD', 'EXPEDITED', ''),
});
const money = part({
  amount: fc.oneof(fc.double({noNaN: false}), fc.constantFrom('5.99', 'x', '')),
  currencyCode: fc.constantFrom('USD', 'EUR', '', 'XXXX'),
});
const returns = part({
  summary: part({
    title: part({value: words}),
    description: part({value: words}),
    resolutionTypes: maybe(fc.array(fc.constantFrom('RETURN', 'REPLACEMENT'), {maxLength: 2})),
  }),
});
const checkoutAnswer = fc.record(
  {
    data: part({
      offers: part({
        edges: maybe(
          fc.array(
            part({
              node: part({
                id: words,
                expiresAt: fc.oneof(isoDate, words),
                lineItems: maybe(
                  fc.array(
                    part({
                      product: part({
                        title: words,
                        sku: part({value: words}),
                        productId: part({value: words}),
                      }),
                      amount: part({value: fc.oneof(fc.integer(), fc.double())}),
                      deliveryOffer: part({
                        details: part({
                          id: words,
                          deliveryPreviewId: words,
                          deliveryProvider: fc.constantFrom('AMAZON', 'MERCHANT', ''),
                          policy: part({messaging}),
                          deliveryTerms: terms,
                          price: part({totalPrice: money}),
                          expiresAt: fc.oneof(isoDate, words),
                        }),
                        summary: part({
                          deliveryMessage: messaging,
                          deliveryTerms: terms,
                          deliveryProvider: fc.constantFrom('AMAZON', ''),
                          deliveryCharge: money,
                        }),
                        deliveryOfferSummary: part({deliveryMessage: messaging, deliveryTerms: terms}),
                      }),
                      reversalOffers: returns,
                    }),
                    {maxLength: 3},
                  ),
                ),
              }),
            }),
            {maxLength: 2},
          ),
        ),
      }),
    }),
    errors: maybe(
      fc.array(
        part({
          message: fc.string(),
          extensions: part({
            code: fc.constantFrom(...CODES, 'x'),
            lineIndex: fc.oneof(fc.integer(), fc.double()),
          }),
        }),
        {maxLength: 3},
      ),
    ),
  },
  {requiredKeys: []},
);
const identifier = part({
  __typename: fc.constantFrom('Sku', 'ProductId'),
  value: words,
  sku: words,
  productId: words,
  externalId: words,
});
const previewOffer = part({
  id: words,
  policy: part({messaging}),
  deliveryTerms: terms,
  terms,
  price: part({totalPrice: money}),
  expiresAt: fc.oneof(isoDate, words),
});
const previewAnswer = fc.record(
  {
    data: part({
      deliveryPreview: part({
        id: words,
        deliveryGroups: maybe(
          fc.array(
            part({
              id: words,
              products: maybe(fc.array(part({productIdentifier: identifier}), {maxLength: 3})),
              deliveryOffers: maybe(fc.array(previewOffer, {maxLength: 3})),
            }),
            {maxLength: 3},
          ),
        ),
      }),
    }),
  },
  {requiredKeys: []},
);

/** A choice written back as the API's delivery offer parts. */
const encodeChoice = (c: DeliveryChoice) => ({
  id: c.id,
  policy: {messaging: {messageText: c.message, locale: c.locale, badge: c.prime ? 'PRIME' : 'NONE'}},
  deliveryTerms: {isPrimeEligible: c.isPrimeEligible, deliverySpeed: c.deliverySpeed},
  price: {totalPrice: c.price},
  expiresAt: c.expiresAt === null ? null : new Date(c.expiresAt).toISOString(),
});

const encodeReturns = (r: ReturnsView | null) =>
  r && {
    summary: {
      title: {value: r.title},
      description: r.description === null ? null : {value: r.description},
      resolutionTypes: r.returnable ? ['RETURN'] : [],
    },
  };

/** A checkout view written back in the API's `details` shape. */
const encodeOffers = (view: CheckoutOffersView) => ({
  data: {
    offers: {
      edges: [
        {
          node: {
            id: view.offerId,
            expiresAt: view.offerExpiresAt,
            lineItems: view.lines.map((line) => ({
              product: {title: line.title, sku: {value: line.sku}, productId: {value: line.productId}},
              amount: {value: line.quantity},
              deliveryOffer: line.delivery && {
                details: {
                  ...encodeChoice(line.delivery),
                  deliveryPreviewId: line.deliveryPreviewId,
                  deliveryProvider: line.deliveryProvider,
                },
              },
              reversalOffers: encodeReturns(line.returns),
            })),
          },
        },
      ],
    },
  },
});

const encodePreview = (view: DeliveryPreviewView) => ({
  data: {
    deliveryPreview: {
      id: view.id,
      deliveryGroups: view.groups.map((g) => ({
        id: g.id,
        products: g.products.map((value) => ({productIdentifier: {value}})),
        deliveryOffers: g.offers.map(encodeChoice),
      })),
    },
  },
});

const inputLine = fc.record(
  {
    sku: fc.string({maxLength: 6}),
    productId: fc.string({maxLength: 6}),
    quantity: fc.integer({min: 1, max: 999}),
  },
  {requiredKeys: ['quantity']},
);

describe(`checkout normalizers, property-based (fast-check seed ${SEED}, ${RUNS} runs per property)`, () => {
  it('never throw on any value and return a valid view model or null', () => {
    run(
      fc.property(fc.anything(), fc.jsonValue(), (value, json) => {
        for (const input of [value, json, {data: value}, {data: {offers: value, deliveryPreview: value}}]) {
          assertOffersView(normalizeCheckoutOffers(input));
          assertPreviewView(normalizeDeliveryPreview(input));
          for (const problem of responseProblems(input)) {
            assert.ok(CODES.includes(problem.code));
            assert.ok(
              problem.lineIndex === null || (Number.isInteger(problem.lineIndex) && problem.lineIndex >= 0),
            );
          }
        }
      }),
    );
  });

  it('never throw on near-valid answers of every documented shape, which reach every outcome', () => {
    const seen = {none: 0, lines: 0, delivery: 0, prime: 0, price: 0, returns: 0, groups: 0, offers: 0};
    run(
      fc.property(checkoutAnswer, previewAnswer, (offers, preview) => {
        const view = normalizeCheckoutOffers(offers);
        assertOffersView(view);
        const previewView = normalizeDeliveryPreview(preview);
        assertPreviewView(previewView);
        if (view === null) seen.none++;
        else if (view.lines.length) seen.lines++;
        for (const line of view?.lines ?? []) {
          if (line.delivery) seen.delivery++;
          if (line.delivery?.prime) seen.prime++;
          if (line.delivery?.price) seen.price++;
          if (line.returns) seen.returns++;
        }
        if (previewView?.groups.length) seen.groups++;
        if (previewView?.groups.some((g) => g.offers.length)) seen.offers++;
      }),
    );
    for (const [outcome, count] of Object.entries(seen)) assert.ok(count > 20, `${outcome}: ${count}`);
  });

  it('are idempotent: a view written back in the documented shape normalizes to itself', () => {
    run(
      fc.property(checkoutAnswer, previewAnswer, (offers, preview) => {
        const view = normalizeCheckoutOffers(offers);
        if (view !== null) assert.deepEqual(normalizeCheckoutOffers(encodeOffers(view)), view);
        const previewView = normalizeDeliveryPreview(preview);
        if (previewView !== null)
          assert.deepEqual(normalizeDeliveryPreview(encodePreview(previewView)), previewView);
      }),
    );
  });

  it('join any cart with any answers into a consistent view and a selection with one entry per line', () => {
    run(
      fc.property(
        fc.array(inputLine, {minLength: 1, maxLength: 6}),
        checkoutAnswer,
        previewAnswer,
        fc.array(fc.nat(), {maxLength: 6}),
        (inputs, offers, preview, picks) => {
          const offersView = normalizeCheckoutOffers(offers);
          if (!offersView) return;
          const previewLines = [...new Set(picks.map((p) => p % inputs.length))];
          const view = buildCheckoutView(inputs, offersView, normalizeDeliveryPreview(preview), previewLines);
          assert.equal(view.lineGroups.length, inputs.length);
          view.lineGroups.forEach((group, line) => {
            if (group === null) return;
            assert.ok(previewLines.includes(line), 'only previewed lines join a group');
            assert.ok(view.groups[group]!.lineIndexes.includes(line));
          });
          for (const group of view.groups) assert.ok(group.lineIndexes.length > 0 && group.offers.length > 0);
          const chosen = view.groups.map((g) => g.offers[0]!);
          const address = {
            name: 'A',
            streetAddress: 'B',
            locality: 'C',
            region: 'WA',
            postalCode: '98109',
            countryCode: 'US',
          };
          const selection = selectionOf(inputs, view, chosen, address);
          assert.equal(selection.lines.length, inputs.length);
          selection.lines.forEach((line, i) => assert.equal(line.quantity, inputs[i]!.quantity));
        },
      ),
    );
  });

  it('point a problem at a line only when the proxy said which, with a known code', () => {
    run(
      fc.property(checkoutAnswer, (answer) => {
        const problems = responseProblems(answer);
        const errors = (answer as {errors?: unknown}).errors;
        assert.equal(problems.length, Array.isArray(errors) ? errors.length : 0);
      }),
    );
  });
});
