// Property tests of the browser's normalizers (src/api/normalize.ts) on arbitrary JSON, with a published seed.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import fc from 'fast-check';
import {nearValid} from './arbitraries.ts';
import {languageTag, normalizeProductOffer, responseError} from '../../src/api/normalize.ts';
import type {OfferView} from '../../src/api/types.ts';
import {ERROR_CODES as PROXY_ERROR_CODES} from '../../src/api/protocol.ts';

/** Published seed: a failure reproduces with the same seed and the path fast-check prints. */
const SEED = 20261122;
/**
 * BWP_FC_RUNS is the run budget of the three property files (this one, property-checkout, property-proxy):
 * 48,000 in `npm test`, 1,000,000 in `npm run test:long`. Each file takes a third, split over its properties.
 */
const RUNS = Math.round((Number(process.env.BWP_FC_RUNS) || 48_000) / 3 / 4);
const run = (property: fc.IProperty<any> | fc.IAsyncProperty<any>, numRuns: number) =>
  fc.assert(property as fc.IProperty<any>, {seed: SEED, numRuns});

const ERROR_CODES: readonly string[] = PROXY_ERROR_CODES;

const isText = (value: unknown) => typeof value === 'string' && value.trim() !== '';
const textOrNull = (value: unknown) => value === null || isText(value);

/** A well-formed view model: exact keys, exact types, and Prime only with a promise to show. */
function assertOfferView(view: unknown): asserts view is OfferView | null {
  if (view === null) return;
  assert.equal(typeof view, 'object');
  const v = view as Record<string, unknown>;
  assert.deepEqual(Object.keys(v).sort(), [
    'expiresAt',
    'locale',
    'message',
    'offerId',
    'prime',
    'primeEligible',
    'returns',
  ]);
  assert.ok(textOrNull(v.offerId) && textOrNull(v.message));
  // It becomes a lang attribute: a language tag or nothing.
  assert.ok(v.locale === null || /^[a-z]{2,3}(-[a-z\d]{1,8})*$/i.test(v.locale as string), String(v.locale));
  assert.equal(typeof v.prime, 'boolean');
  assert.equal(typeof v.primeEligible, 'boolean');
  if (v.prime) assert.ok(isText(v.message));
  assert.ok(v.expiresAt === null || Number.isFinite(v.expiresAt));
  if (v.returns !== null) {
    const r = v.returns as Record<string, unknown>;
    assert.deepEqual(Object.keys(r).sort(), ['description', 'returnable', 'title']);
    assert.ok(isText(r.title) && textOrNull(r.description));
    assert.equal(typeof r.returnable, 'boolean');
  }
}

/** A view model written back in one of the API's documented shapes. */
function encode(
  view: OfferView,
  shape: 'details' | 'summary' | 'deliveryOfferSummary',
  stringBools: boolean,
) {
  const messaging = {
    messageText: view.message,
    locale: view.locale,
    badge: view.prime ? 'PRIME' : 'NONE',
  };
  const deliveryTerms = {isPrimeEligible: stringBools ? String(view.primeEligible) : view.primeEligible};
  const expiresAt = view.expiresAt === null ? null : new Date(view.expiresAt).toISOString();
  const deliveryOffer =
    shape === 'details'
      ? {summary: null, details: {policy: {messaging}, deliveryTerms, expiresAt}}
      : {[shape]: {deliveryMessage: messaging, deliveryTerms}, expiresAt};
  const returns = view.returns && {
    title: {value: view.returns.title, locale: 'en-US'},
    description: view.returns.description === null ? null : {value: view.returns.description},
    resolutionTypes: view.returns.returnable ? ['RETURN'] : [],
  };
  return {
    data: {
      offers: {
        edges: [{node: {id: view.offerId, lineItems: [{deliveryOffer, reversalOffers: {summary: returns}}]}}],
      },
    },
  };
}

// Near-valid responses: every documented field, each either plausible or junk, so the branches are reached.
const {maybe, part} = nearValid({plausibleWeight: 12});
const messaging = part({
  messageText: fc.oneof(fc.constantFrom('Get it as soon as Tomorrow May 11', ' ', ''), fc.string()),
  locale: fc.constantFrom('en-US', 'fr-FR', ''),
  badge: fc.constantFrom('PRIME', 'NONE', 'prime'),
});
const terms = part({isPrimeEligible: fc.constantFrom(true, 'true', false, 'false', 'TRUE')});
const isoDate = fc.date({noInvalidDate: true}).map((d) => d.toISOString());
const shaped = fc.record(
  {
    data: part({
      offers: part({
        edges: maybe(
          fc.array(
            part({
              node: part({
                id: fc.string(),
                expiresAt: fc.oneof(isoDate, fc.string()),
                lineItems: maybe(
                  fc.array(
                    part({
                      deliveryOffer: part({
                        details: part({policy: part({messaging}), deliveryTerms: terms, expiresAt: isoDate}),
                        summary: part({deliveryMessage: messaging, deliveryTerms: terms}),
                        deliveryOfferSummary: part({deliveryMessage: messaging, deliveryTerms: terms}),
                      }),
                      reversalOffers: part({
                        summary: part({
                          title: part({value: fc.string(), locale: fc.string()}),
                          description: part({value: fc.string()}),
                          resolutionTypes: maybe(fc.array(fc.constantFrom('RETURN', 'REPLACEMENT'))),
                        }),
                      }),
                    }),
                    {maxLength: 2},
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
      fc.array(part({message: fc.string(), extensions: part({code: fc.constantFrom(...ERROR_CODES, 'x')})})),
    ),
  },
  {requiredKeys: []},
);

const checkResponse = (response: unknown) => {
  const view = normalizeProductOffer(response);
  assertOfferView(view);
  const code = responseError(response);
  assert.ok(code === null || ERROR_CODES.includes(code));
  return view;
};

describe(`normalizers, property-based (fast-check seed ${SEED}, ${RUNS} runs per property)`, () => {
  it('never throw on any value and return a valid view model or null', () => {
    run(
      fc.property(fc.anything(), (value) => void checkResponse(value)),
      RUNS,
    );
  });

  it('never throw on any JSON and return a valid view model or null', () => {
    run(
      fc.property(fc.jsonValue(), (value) => void checkResponse(value)),
      RUNS,
    );
  });

  it('never throw on near-valid responses of every documented shape, which reach every outcome', () => {
    const seen = {prime: 0, notPrime: 0, none: 0, returnable: 0, expiring: 0, error: 0};
    run(
      fc.property(shaped, (value) => {
        const view = checkResponse(value);
        if (view === null) seen.none++;
        else {
          seen[view.prime ? 'prime' : 'notPrime']++;
          if (view.returns?.returnable) seen.returnable++;
          if (view.expiresAt !== null) seen.expiring++;
        }
        if (responseError(value)) seen.error++;
      }),
      RUNS,
    );
    for (const [outcome, count] of Object.entries(seen)) assert.ok(count > 20, `${outcome}: ${count}`);
  });

  it('are idempotent: a view written back in any documented shape normalizes to itself', () => {
    run(
      fc.property(
        shaped,
        fc.constantFrom('details', 'summary', 'deliveryOfferSummary'),
        fc.boolean(),
        (response, shape, stringBools) => {
          const view = normalizeProductOffer(response);
          if (view === null) return;
          assert.deepEqual(normalizeProductOffer(encode(view, shape, stringBools)), view);
        },
      ),
      RUNS,
    );
  });

  it('read the PDP example of the docs: Prime, "true" as a string, returnable', () => {
    const pdp = {
      data: {
        offers: {
          edges: [
            {
              node: {
                id: 'offer-1',
                lineItems: [
                  {
                    deliveryOffer: {
                      deliveryOfferSummary: {
                        deliveryMessage: {messageText: 'Get it as soon as Tomorrow May 11', badge: 'PRIME'},
                        deliveryTerms: {isPrimeEligible: 'true', deliverySpeed: null},
                      },
                    },
                    reversalOffers: {
                      summary: {
                        description: {
                          value: 'This item is eligible for free 30-day returns through Buy with Prime',
                        },
                        title: {value: 'Free 30-day returns', locale: 'en-US'},
                        resolutionTypes: ['RETURN'],
                      },
                    },
                  },
                ],
              },
            },
          ],
        },
      },
    };
    assert.deepEqual(normalizeProductOffer(pdp), {
      offerId: 'offer-1',
      prime: true,
      primeEligible: true,
      message: 'Get it as soon as Tomorrow May 11',
      locale: null,
      returns: {
        title: 'Free 30-day returns',
        description: 'This item is eligible for free 30-day returns through Buy with Prime',
        returnable: true,
      },
      expiresAt: null,
    });
  });

  it('take the soonest expiresAt of the offer and its delivery offer', () => {
    const view = normalizeProductOffer({
      data: {
        offers: {
          edges: [
            {
              node: {
                expiresAt: '2026-11-22T10:00:00Z',
                lineItems: [{deliveryOffer: {details: {expiresAt: '2026-11-22T09:30:00Z'}}}],
              },
            },
          ],
        },
      },
    });
    assert.equal(view?.expiresAt, Date.parse('2026-11-22T09:30:00Z'));
  });

  it('keep the API locale only when it is a language tag, since it becomes a lang attribute', () => {
    for (const tag of ['en', 'en-US', 'es-419', 'zh-Hant-TW']) assert.equal(languageTag(tag), tag);
    for (const junk of [
      '',
      ' ',
      'javascript:alert(1)',
      '<script>',
      'en US',
      'e',
      'en_US',
      'x'.repeat(40),
      42,
      null,
    ]) {
      assert.equal(languageTag(junk), null, String(junk));
    }
  });
});
