import {expect, fixture, html, oneEvent} from '@open-wc/testing';
import {sendKeys} from '@web/test-runner-commands';
import '../../src/components/checkout-offers/define.js';
import type {BwpCheckoutOffers} from '../../src/components/checkout-offers/checkout-offers.js';
import type {CheckoutSelection} from '../../src/api/protocol.js';
import type {Clock} from '../../src/api/clock.js';
import {setShopperToken} from '../../src/api/identity.js';
import {fakeClock, fakeProxy, offersResponse} from './fake-proxy.js';
import {ADDRESS} from '../fixtures/address.js';

const PRIME_TOKEN = 'prime-shopper-token';
/** Friday 20 Nov 2026, 15:00 UTC: the sandbox's reference day. */
const FRIDAY = Date.parse('2026-11-20T15:00:00Z');

interface OfferSpec {
  id: string;
  message: string;
  price?: number;
  expiresAt?: string | null;
  badge?: string;
}

/** A DeliveryPreview.v1 answer: groups of products with their delivery offers. */
function previewResponse(groups: Array<{products: string[]; offers: OfferSpec[]}>, id = 'preview-1') {
  return {
    data: {
      deliveryPreview: {
        id,
        deliveryGroups: groups.map((group, g) => ({
          id: `group-${g}`,
          products: group.products.map((sku) => ({
            productIdentifier: {__typename: 'SkuProductIdentifier', value: sku},
            amount: {unit: 'ONE', value: 1},
          })),
          deliveryOffers: group.offers.map((offer) => ({
            id: offer.id,
            price: {totalPrice: {amount: offer.price ?? 0, currencyCode: 'USD'}, rollupPrices: []},
            policy: {messaging: {messageText: offer.message, locale: 'en-US', badge: offer.badge ?? 'PRIME'}},
            expiresAt: offer.expiresAt ?? null,
          })),
        })),
      },
    },
  };
}

const TWO_OFFERS: OfferSpec[] = [
  {id: 'DO-fast', message: 'Get it Tuesday, Nov 24'},
  {id: 'DO-slow', message: 'Get it Thursday, Nov 26', price: 0},
  {id: 'DO-next', message: 'Get it Tomorrow, Nov 21', price: 7.99},
];

const errorResponse = (code: string, lineIndex?: number) => ({
  data: null,
  errors: [{message: 'x', extensions: {code, ...(lineIndex === undefined ? {} : {lineIndex})}}],
});

const shadow = (el: Element) => el.shadowRoot!;
const lines = (el: Element) => [...shadow(el).querySelectorAll('[part="line-item"]')] as HTMLElement[];
const radios = (el: Element) => [...shadow(el).querySelectorAll('input[type="radio"]')] as HTMLInputElement[];
/**
 * Waits for the element's render, then proves nothing is left on its clock: every request the element sends
 * starts from a timer on that clock, so with none pending no further request can come.
 */
async function settle(el: BwpCheckoutOffers, clock: ReturnType<typeof fakeClock>) {
  await el.updateComplete;
  expect(clock.pending, 'a refetch is still scheduled').to.equal(0);
}

async function mount(proxy: ReturnType<typeof fakeProxy>, skus = ['A1', 'B2'], extra: {clock?: Clock} = {}) {
  return fixture<BwpCheckoutOffers>(html`
    <bwp-checkout-offers
      .client=${proxy.client}
      .debounce=${0}
      .clock=${extra.clock ?? undefined}
      .shippingAddress=${ADDRESS}
    >
      ${skus.map((sku) => html`<bwp-line-item sku=${sku}></bwp-line-item>`)}
    </bwp-checkout-offers>
  `);
}

/** Mounts on a fake clock and runs the first (debounced) refresh: the test moves time from there. */
async function mountOnClock(proxy: ReturnType<typeof fakeProxy>, skus = ['A1', 'B2']) {
  const clock = fakeClock(FRIDAY);
  const el = await mount(proxy, skus, {clock});
  clock.tick(0);
  return {el, clock};
}

describe('<bwp-checkout-offers>', () => {
  // Prices are formatted in the page's language: declare the one the tests assert on, as a merchant's page
  // does, or they would see the machine's (WebKit under LANG=C.UTF-8 writes "$ 5.99").
  before(() => document.documentElement.setAttribute('lang', 'en-US'));
  afterEach(() => setShopperToken(null));

  it('asks once for the offers of every line with the shipping address', async () => {
    const proxy = fakeProxy();
    const clock = fakeClock(FRIDAY);
    const el = await fixture<BwpCheckoutOffers>(html`
      <bwp-checkout-offers .client=${proxy.client} .clock=${clock} .debounce=${0} .shippingAddress=${ADDRESS}>
        <bwp-line-item sku="A1" quantity="2"></bwp-line-item>
        <bwp-line-item product-id="P-2"></bwp-line-item>
      </bwp-checkout-offers>
    `);
    clock.tick(0);
    const call = await proxy.next();
    expect(call.body).to.deep.equal({
      documentId: 'CheckoutOffers.v1',
      variables: {
        lineItems: [
          {product: {identifier: {sku: 'A1'}}, amount: {unit: 'ONE', value: 2}},
          {product: {identifier: {productId: 'P-2'}}, amount: {unit: 'ONE', value: 1}},
        ],
        shippingAddress: ADDRESS,
      },
    });
    await settle(el, clock);
    expect(proxy.calls.length).to.equal(1);
  });

  it('shows a mixed cart honestly: the badge only on Prime lines, each line with its own promise, price and returns', async () => {
    const proxy = fakeProxy();
    const el = await mount(proxy);
    const loaded = oneEvent(el, 'bwp-load');
    (await proxy.next()).respond(
      offersResponse([
        {sku: 'A1', title: 'In Search of Lost Time', message: 'Get it as soon as Tuesday, Nov 24'},
        {
          sku: 'B2',
          title: 'Pride and Prejudice',
          prime: false,
          message: 'Arrives Dec 1 - Dec 3',
          price: 5.99,
        },
      ]),
    );
    await loaded;
    expect(el.getAttribute('state')).to.equal('ready');
    const [prime, other] = lines(el);
    expect(prime!.textContent).to.contain('In Search of Lost Time');
    expect(prime!.querySelector('[part="badge"]')!.getAttribute('aria-label')).to.contain('Prime');
    expect(prime!.querySelector('[part="delivery"]')!.textContent).to.equal(
      'Get it as soon as Tuesday, Nov 24',
    );
    expect(prime!.querySelector('.price')!.textContent).to.equal('FREE');
    expect(prime!.querySelector('[part="returns"]')!.textContent).to.equal('Free 30-day returns');
    expect(other!.querySelector('[part="badge"]')).to.equal(null);
    expect(other!.textContent).to.not.match(/prime/i);
    expect(other!.querySelector('[part="delivery"]')!.textContent).to.equal('Arrives Dec 1 - Dec 3');
    expect(other!.querySelector('.price')!.textContent).to.equal('$5.99');
    await expect(el).to.be.accessible();
  });

  it('gives a selection for createOrderFromOffer when the shopper is signed out, with no delivery preview', async () => {
    const proxy = fakeProxy();
    const {el, clock} = await mountOnClock(proxy);
    const changed = oneEvent(el, 'bwp-change');
    (await proxy.next()).respond(offersResponse([{sku: 'A1'}, {sku: 'B2', prime: false}], 'offer-77'));
    const selection = (await changed).detail as CheckoutSelection;
    expect(selection.offerId).to.equal('offer-77');
    expect(selection.shippingAddress).to.deep.equal(ADDRESS);
    expect(selection.lines[0]).to.include({sku: 'A1', deliveryOfferId: 'DO-0', deliveryPreviewId: 'DP-0'});
    expect(selection.lines[1]).to.include({sku: 'B2', deliveryOfferId: null, isPrimeEligible: false});
    expect(el.selection).to.deep.equal(selection);
    await settle(el, clock);
    expect(proxy.calls.length).to.equal(1);
  });

  it('asks for a delivery preview of the Prime lines only and offers its delivery options as a radio group', async () => {
    setShopperToken(PRIME_TOKEN);
    const proxy = fakeProxy();
    const el = await mount(proxy, ['A1', 'B2', 'C3']);
    (await proxy.next()).respond(offersResponse([{sku: 'A1'}, {sku: 'B2', prime: false}, {sku: 'C3'}]));
    const preview = await proxy.next();
    expect(preview.headers.get('x-bwp-shopper-token')).to.equal(PRIME_TOKEN);
    expect(preview.body).to.deep.equal({
      documentId: 'DeliveryPreview.v1',
      variables: {
        products: [
          {productIdentifier: {sku: 'A1'}, amount: {unit: 'ONE', value: 1}},
          {productIdentifier: {sku: 'C3'}, amount: {unit: 'ONE', value: 1}},
        ],
        shippingAddress: ADDRESS,
      },
    });
    const changed = oneEvent(el, 'bwp-change');
    preview.respond(previewResponse([{products: ['A1', 'C3'], offers: TWO_OFFERS}]));
    const selection = (await changed).detail as CheckoutSelection;
    await el.updateComplete;
    const group = shadow(el).querySelector('[role="radiogroup"]')!;
    expect(group.querySelectorAll('[part="option"]').length).to.equal(3);
    expect(radios(el).map((r) => r.checked)).to.deep.equal([true, false, false]);
    expect(shadow(el).querySelectorAll('[role="radiogroup"]').length).to.equal(1);
    expect(selection).to.deep.equal({
      offerId: 'offer-1',
      shippingAddress: ADDRESS,
      lines: [
        {
          sku: 'A1',
          quantity: 1,
          deliveryPreviewId: 'preview-1',
          deliveryOfferId: 'DO-fast',
          isPrimeEligible: true,
          deliveryProvider: 'AMAZON',
          deliverySpeed: null,
          messageText: 'Get it Tuesday, Nov 24',
          deliveryPrice: {amount: 0, currencyCode: 'USD'},
        },
        {
          sku: 'B2',
          quantity: 1,
          deliveryPreviewId: null,
          deliveryOfferId: null,
          isPrimeEligible: false,
          deliveryProvider: 'AMAZON',
          deliverySpeed: 'Standard',
          messageText: 'Get it Dec 1 - Dec 3',
          deliveryPrice: {amount: 5.99, currencyCode: 'USD'},
        },
        {
          sku: 'C3',
          quantity: 1,
          deliveryPreviewId: 'preview-1',
          deliveryOfferId: 'DO-fast',
          isPrimeEligible: true,
          deliveryProvider: 'AMAZON',
          deliverySpeed: null,
          messageText: 'Get it Tuesday, Nov 24',
          deliveryPrice: {amount: 0, currencyCode: 'USD'},
        },
      ],
    });
    await expect(el).to.be.accessible();
  });

  it('names each option by its promise and price', async () => {
    setShopperToken(PRIME_TOKEN);
    const proxy = fakeProxy();
    const el = await mount(proxy, ['A1']);
    (await proxy.next()).respond(offersResponse([{sku: 'A1'}]));
    const loaded = oneEvent(el, 'bwp-load');
    (await proxy.next()).respond(previewResponse([{products: ['A1'], offers: TWO_OFFERS}]));
    await loaded;
    const labels = radios(el).map((r) => r.closest('label')!.textContent!.replace(/\s+/g, ' ').trim());
    expect(labels).to.deep.equal([
      'Get it Tuesday, Nov 24 FREE',
      'Get it Thursday, Nov 26 FREE',
      'Get it Tomorrow, Nov 21 $7.99',
    ]);
    const group = shadow(el).querySelector('[role="radiogroup"]')!;
    const label = shadow(el).getElementById(group.getAttribute('aria-labelledby')!)!;
    expect(label.textContent).to.contain('Title A1');
  });

  it('changes the delivery option with the arrow keys and tells the page', async () => {
    setShopperToken(PRIME_TOKEN);
    const proxy = fakeProxy();
    const el = await mount(proxy, ['A1']);
    (await proxy.next()).respond(offersResponse([{sku: 'A1'}]));
    const first = oneEvent(el, 'bwp-change');
    (await proxy.next()).respond(previewResponse([{products: ['A1'], offers: TWO_OFFERS}]));
    await first;
    await el.updateComplete;
    radios(el)[0]!.focus();
    let changed = oneEvent(el, 'bwp-change');
    await sendKeys({press: 'ArrowDown'});
    let selection = (await changed).detail as CheckoutSelection;
    expect(selection.lines[0]!.deliveryOfferId).to.equal('DO-slow');
    await el.updateComplete;
    expect(radios(el).map((r) => r.checked)).to.deep.equal([false, true, false]);
    expect(shadow(el).querySelector('[part="delivery"]')!.textContent).to.equal('Get it Thursday, Nov 26');
    changed = oneEvent(el, 'bwp-change');
    await sendKeys({press: 'ArrowDown'});
    selection = (await changed).detail as CheckoutSelection;
    expect(selection.lines[0]).to.include({
      deliveryOfferId: 'DO-next',
      messageText: 'Get it Tomorrow, Nov 21',
    });
    expect(el.selection!.lines[0]!.deliveryOfferId).to.equal('DO-next');
    await el.updateComplete;
    expect(lines(el)[0]!.querySelector('.delivery .price')!.textContent).to.equal('$7.99');
    changed = oneEvent(el, 'bwp-change');
    await sendKeys({press: 'ArrowUp'});
    expect(((await changed).detail as CheckoutSelection).lines[0]!.deliveryOfferId).to.equal('DO-slow');
    expect(shadow(el).activeElement).to.equal(radios(el)[1]);
  });

  it('shows a visible focus indicator on the focused option after Tab and after each arrow key', async () => {
    setShopperToken(PRIME_TOKEN);
    const proxy = fakeProxy();
    const wrapper = await fixture(html`
      <div>
        <button>Before</button>
        <bwp-checkout-offers .client=${proxy.client} .debounce=${0} .shippingAddress=${ADDRESS}>
          <bwp-line-item sku="A1"></bwp-line-item>
        </bwp-checkout-offers>
      </div>
    `);
    const el = wrapper.querySelector('bwp-checkout-offers')!;
    (await proxy.next()).respond(offersResponse([{sku: 'A1'}]));
    const first = oneEvent(el, 'bwp-change');
    (await proxy.next()).respond(previewResponse([{products: ['A1'], offers: TWO_OFFERS}]));
    await first;
    await el.updateComplete;
    // What the shopper sees: an outline drawn around each option, not which selectors happen to match.
    const outlined = () =>
      radios(el).map((radio) => {
        const style = getComputedStyle(radio.closest('[part="option"]')!);
        return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
      });
    wrapper.querySelector('button')!.focus();
    await sendKeys({press: 'Tab'});
    expect(shadow(el).activeElement).to.equal(radios(el)[0]);
    expect(outlined()).to.deep.equal([true, false, false]);
    for (const [key, index] of [
      ['ArrowDown', 1],
      ['ArrowDown', 2],
      ['ArrowUp', 1],
    ] as const) {
      const changed = oneEvent(el, 'bwp-change');
      await sendKeys({press: key});
      await changed;
      await el.updateComplete;
      expect(shadow(el).activeElement, key).to.equal(radios(el)[index]);
      expect(outlined(), `after ${key} to option ${index}`).to.deep.equal([0, 1, 2].map((i) => i === index));
    }
  });

  it('debounces changes into one refetch and drops the answer to a superseded request', async () => {
    const proxy = fakeProxy();
    const clock = fakeClock(FRIDAY);
    const el = await fixture<BwpCheckoutOffers>(html`
      <bwp-checkout-offers .client=${proxy.client} .clock=${clock} .shippingAddress=${ADDRESS}>
        <bwp-line-item sku="A1"></bwp-line-item>
      </bwp-checkout-offers>
    `);
    clock.tick(150);
    const old = await proxy.next();
    el.querySelector('bwp-line-item')!.setAttribute('quantity', '3');
    const added = document.createElement('bwp-line-item');
    added.setAttribute('sku', 'B2');
    el.append(added);
    el.shippingAddress = {...ADDRESS, postalCode: '98101'};
    // Mutation records are delivered in a microtask queued before the update's: both have scheduled by now.
    await el.updateComplete;
    clock.tick(100);
    expect(proxy.calls.length).to.equal(1);
    clock.tick(50);
    const fresh = await proxy.next();
    expect(proxy.calls.length).to.equal(2);
    expect((fresh.body as any).variables.lineItems).to.deep.equal([
      {product: {identifier: {sku: 'A1'}}, amount: {unit: 'ONE', value: 3}},
      {product: {identifier: {sku: 'B2'}}, amount: {unit: 'ONE', value: 1}},
    ]);
    expect((fresh.body as any).variables.shippingAddress.postalCode).to.equal('98101');
    old.respond(offersResponse([{sku: 'A1', message: 'OLD promise'}]));
    const loaded = oneEvent(el, 'bwp-load');
    fresh.respond(offersResponse([{sku: 'A1', message: 'NEW promise'}, {sku: 'B2'}]));
    await loaded;
    await el.updateComplete;
    expect(shadow(el).textContent).to.contain('NEW promise');
    expect(shadow(el).textContent).to.not.contain('OLD promise');
  });

  it('uses the lineItems property instead of the children', async () => {
    const proxy = fakeProxy();
    const el = await fixture<BwpCheckoutOffers>(html`
      <bwp-checkout-offers
        .client=${proxy.client}
        .debounce=${0}
        .shippingAddress=${ADDRESS}
        .lineItems=${[
          {sku: 'X9', quantity: 4},
          {productId: 'P-1', quantity: 1},
        ]}
      >
        <bwp-line-item sku="IGNORED"></bwp-line-item>
      </bwp-checkout-offers>
    `);
    const call = await proxy.next();
    expect((call.body as any).variables.lineItems).to.deep.equal([
      {product: {identifier: {sku: 'X9'}}, amount: {unit: 'ONE', value: 4}},
      {product: {identifier: {productId: 'P-1'}}, amount: {unit: 'ONE', value: 1}},
    ]);
    call.respond(offersResponse([{sku: 'X9'}, {sku: 'P-1'}]));
    el.lineItems = [{sku: 'X9', quantity: 5}];
    const next = await proxy.next();
    expect((next.body as any).variables.lineItems).to.deep.equal([
      {product: {identifier: {sku: 'X9'}}, amount: {unit: 'ONE', value: 5}},
    ]);
  });

  it('refuses more than 40 lines with a clear error and sends nothing', async () => {
    const proxy = fakeProxy();
    const items = Array.from({length: 41}, (_, i) => ({sku: `S${i}`, quantity: 1}));
    const clock = fakeClock(FRIDAY);
    const el = await fixture<BwpCheckoutOffers>(html`
      <bwp-checkout-offers .client=${proxy.client} .clock=${clock} .debounce=${0}></bwp-checkout-offers>
    `);
    const failed = oneEvent(el, 'bwp-error');
    el.lineItems = items;
    el.shippingAddress = ADDRESS;
    await el.updateComplete;
    clock.tick(0);
    expect((await failed).detail.code).to.equal('invalid_request');
    await settle(el, clock);
    expect(proxy.calls.length).to.equal(0);
    expect(el.getAttribute('state')).to.equal('error');
    expect(shadow(el).querySelector('[role="alert"]')!.textContent).to.contain('at most 40 items');
    expect(el.selection).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows the 20 Prime / 20 other limit once the first answer tells which lines are Prime', async () => {
    setShopperToken(PRIME_TOKEN);
    const proxy = fakeProxy();
    const skus = Array.from({length: 22}, (_, i) => `S${i}`);
    const {el, clock} = await mountOnClock(proxy, skus);
    const failed = oneEvent(el, 'bwp-error');
    (await proxy.next()).respond(offersResponse(skus.map((sku, i) => ({sku, prime: i < 21}))));
    expect((await failed).detail.code).to.equal('invalid_request');
    await el.updateComplete;
    expect(shadow(el).querySelector('[role="alert"]')!.textContent).to.contain(
      'at most 20 items with Prime delivery',
    );
    await settle(el, clock);
    expect(proxy.calls.length).to.equal(1);
  });

  it('refuses a line without an identifier or with a bad quantity on that line, before any request', async () => {
    const proxy = fakeProxy();
    const clock = fakeClock(FRIDAY);
    const el = await fixture<BwpCheckoutOffers>(html`
      <bwp-checkout-offers .client=${proxy.client} .clock=${clock} .debounce=${0} .shippingAddress=${ADDRESS}>
        <bwp-line-item sku="A1"></bwp-line-item>
        <bwp-line-item sku="B2" quantity="0"></bwp-line-item>
      </bwp-checkout-offers>
    `);
    const failed = oneEvent(el, 'bwp-error');
    clock.tick(0);
    await failed;
    await el.updateComplete;
    expect(lines(el)[1]!.querySelector('.error')!.textContent).to.contain('quantity');
    expect(lines(el)[0]!.querySelector('.error')).to.equal(null);
    await settle(el, clock);
    expect(proxy.calls.length).to.equal(0);
  });

  for (const [code, words] of [
    ['invalid_address', 'shipping address'],
    ['unsupported_destination', 'does not deliver to this address'],
    ['shopper_token_expired', 'Sign in again'],
  ] as const) {
    it(`shows ${code} at the top in plain words and reports it`, async () => {
      const proxy = fakeProxy();
      const el = await mount(proxy);
      const failed = oneEvent(el, 'bwp-error');
      (await proxy.next()).respond(errorResponse(code));
      expect((await failed).detail.code).to.equal(code);
      await el.updateComplete;
      expect(el.state).to.equal('error');
      expect(shadow(el).querySelector('.top[role="alert"]')!.textContent).to.contain(words);
      expect(el.selection).to.equal(null);
      await expect(el).to.be.accessible();
    });
  }

  it('shows an unavailable item on its own line when the error names the line', async () => {
    const proxy = fakeProxy();
    const el = await mount(proxy, ['A1', 'GONE', 'C3']);
    const failed = oneEvent(el, 'bwp-error');
    (await proxy.next()).respond(errorResponse('not_found', 1));
    expect((await failed).detail.code).to.equal('not_found');
    await el.updateComplete;
    const rows = lines(el);
    expect(rows.length).to.equal(3);
    expect(rows[1]!.textContent).to.contain('GONE');
    expect(rows[1]!.querySelector('.error')!.textContent).to.contain('not available');
    expect(rows[0]!.querySelector('.error')).to.equal(null);
    expect(shadow(el).querySelector('.top')!.textContent!.trim()).to.equal('');
    await expect(el).to.be.accessible();
  });

  it('maps a preview error about a product back to its cart line', async () => {
    setShopperToken(PRIME_TOKEN);
    const proxy = fakeProxy();
    const el = await mount(proxy, ['N1', 'A1', 'B2']);
    (await proxy.next()).respond(offersResponse([{sku: 'N1', prime: false}, {sku: 'A1'}, {sku: 'B2'}]));
    const failed = oneEvent(el, 'bwp-error');
    (await proxy.next()).respond(errorResponse('not_eligible', 1));
    expect((await failed).detail.code).to.equal('not_eligible');
    await el.updateComplete;
    expect(lines(el)[2]!.querySelector('.error')!.textContent).to.contain('quantity');
    expect(lines(el)[1]!.querySelector('.error')).to.equal(null);
    expect(lines(el)[0]!.querySelector('[part="delivery"]')!.textContent).to.equal('Get it Dec 1 - Dec 3');
  });

  it('shows an item error that names no line at the top', async () => {
    const proxy = fakeProxy();
    const el = await mount(proxy);
    const failed = oneEvent(el, 'bwp-error');
    (await proxy.next()).respond(errorResponse('not_eligible'));
    await failed;
    await el.updateComplete;
    expect(shadow(el).querySelector('.top')!.textContent).to.contain('not available in this quantity');
  });

  it('reports a network failure as unavailable without throwing into the page', async () => {
    const proxy = fakeProxy();
    const el = await mount(proxy);
    const failed = oneEvent(el, 'bwp-error');
    (await proxy.next()).fail();
    (await proxy.next()).fail(); // the client's one retry
    expect((await failed).detail.code).to.equal('unavailable');
    await el.updateComplete;
    expect(shadow(el).querySelector('.top')!.textContent).to.contain('unavailable right now');
  });

  it('shows hostile strings from the API as text', async () => {
    const proxy = fakeProxy();
    const el = await mount(proxy, ['A1']);
    const loaded = oneEvent(el, 'bwp-load');
    const hostile = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    (await proxy.next()).respond(
      offersResponse([{sku: 'A1', title: hostile, message: hostile, returns: hostile}]),
    );
    await loaded;
    await el.updateComplete;
    expect(shadow(el).querySelector('img')).to.equal(null);
    expect(shadow(el).querySelector('b')).to.equal(null);
    expect(shadow(el).querySelector('[part="delivery"]')!.textContent).to.equal(hostile);
    expect((window as any).__pwned).to.equal(undefined);
  });

  it('refetches when the selected delivery offer expires and says so when it is gone', async () => {
    setShopperToken(PRIME_TOKEN);
    const proxy = fakeProxy();
    const {el, clock} = await mountOnClock(proxy, ['A1']);
    const expiresAt = new Date(clock.now() + 60_000).toISOString();
    (await proxy.next()).respond(offersResponse([{sku: 'A1'}], 'offer-1'));
    const first = oneEvent(el, 'bwp-change');
    (await proxy.next()).respond(
      previewResponse([
        {
          products: ['A1'],
          offers: [
            {id: 'DO-fast', message: 'Get it Tuesday, Nov 24', expiresAt},
            {id: 'DO-slow', message: 'Get it Thursday, Nov 26', expiresAt},
          ],
        },
      ]),
    );
    await first;
    await el.updateComplete;
    radios(el)[1]!.click();
    await el.updateComplete;
    clock.tick(59_999);
    await el.updateComplete;
    expect(proxy.calls.length).to.equal(2);
    clock.tick(1);
    clock.tick(150);
    (await proxy.next()).respond(offersResponse([{sku: 'A1'}], 'offer-2'));
    const changed = oneEvent(el, 'bwp-change');
    (await proxy.next()).respond(
      previewResponse(
        [
          {
            products: ['A1'],
            offers: [
              {id: 'DO-fast-2', message: 'Get it Wednesday, Nov 25'},
              {id: 'DO-late-2', message: 'Get it Friday, Nov 27'},
            ],
          },
        ],
        'preview-2',
      ),
    );
    const selection = (await changed).detail as CheckoutSelection;
    expect(selection.offerId).to.equal('offer-2');
    expect(selection.lines[0]).to.include({deliveryOfferId: 'DO-fast-2', deliveryPreviewId: 'preview-2'});
    await el.updateComplete;
    const notice = shadow(el).querySelector('.notice[role="status"]')!;
    expect(notice.textContent).to.contain('Get it Thursday, Nov 26');
    expect(notice.textContent).to.contain('expired');
    expect(notice.textContent).to.contain('Get it Wednesday, Nov 25');
    expect(radios(el)[0]!.checked).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('keeps the shopper’s choice across an expiry refetch when it is still offered', async () => {
    setShopperToken(PRIME_TOKEN);
    const proxy = fakeProxy();
    const {el, clock} = await mountOnClock(proxy, ['A1']);
    const expiresAt = new Date(clock.now() + 1000).toISOString();
    (await proxy.next()).respond(offersResponse([{sku: 'A1'}]));
    const first = oneEvent(el, 'bwp-change');
    (await proxy.next()).respond(
      previewResponse([{products: ['A1'], offers: TWO_OFFERS.map((o) => ({...o, expiresAt}))}]),
    );
    await first;
    await el.updateComplete;
    radios(el)[2]!.click();
    clock.tick(1150);
    (await proxy.next()).respond(offersResponse([{sku: 'A1'}]));
    const changed = oneEvent(el, 'bwp-change');
    (await proxy.next()).respond(
      previewResponse([{products: ['A1'], offers: TWO_OFFERS.map((o) => ({...o, id: `${o.id}-2`}))}]),
    );
    expect(((await changed).detail as CheckoutSelection).lines[0]!.deliveryOfferId).to.equal('DO-next-2');
    await el.updateComplete;
    expect(shadow(el).querySelector('.notice')!.textContent).to.equal('');
    expect(radios(el)[2]!.checked).to.equal(true);
  });

  it('refetches with the shopper token when the shopper signs in', async () => {
    const proxy = fakeProxy();
    const el = await mount(proxy, ['A1']);
    (await proxy.next()).respond(offersResponse([{sku: 'A1'}]));
    await oneEvent(el, 'bwp-load');
    setShopperToken(PRIME_TOKEN);
    const call = await proxy.next();
    expect(call.headers.get('x-bwp-shopper-token')).to.equal(PRIME_TOKEN);
    expect((call.body as any).documentId).to.equal('CheckoutOffers.v1');
  });

  it('fetches fresh offers when the page comes back from the back/forward cache', async () => {
    const proxy = fakeProxy();
    const el = await mount(proxy, ['A1']);
    (await proxy.next()).respond(offersResponse([{sku: 'A1'}], 'offer-1'));
    await oneEvent(el, 'bwp-load');
    window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}));
    const changed = oneEvent(el, 'bwp-change');
    (await proxy.next()).respond(offersResponse([{sku: 'A1'}], 'offer-2'));
    expect(((await changed).detail as CheckoutSelection).offerId).to.equal('offer-2');
  });

  it('refetches when a <bwp-line-item> property changes', async () => {
    const proxy = fakeProxy();
    const el = await mount(proxy, ['A1']);
    (await proxy.next()).respond(offersResponse([{sku: 'A1'}]));
    await oneEvent(el, 'bwp-load');
    el.querySelector('bwp-line-item')!.quantity = 4;
    const call = await proxy.next();
    expect((call.body as any).variables.lineItems[0].amount.value).to.equal(4);
  });

  it('refetches when the offer itself expires, so the offer id stays usable for createOrderFromOffer', async () => {
    const proxy = fakeProxy();
    const {el, clock} = await mountOnClock(proxy, ['A1']);
    const response = offersResponse([{sku: 'A1'}], 'offer-1') as any;
    response.data.offers.edges[0].node.expiresAt = new Date(clock.now() + 900_000).toISOString();
    (await proxy.next()).respond(response);
    await oneEvent(el, 'bwp-load');
    clock.tick(899_999);
    await el.updateComplete;
    expect(proxy.calls.length).to.equal(1);
    clock.tick(1);
    clock.tick(150);
    const changed = oneEvent(el, 'bwp-change');
    (await proxy.next()).respond(offersResponse([{sku: 'A1'}], 'offer-2'));
    expect(((await changed).detail as CheckoutSelection).offerId).to.equal('offer-2');
  });

  it('puts each Prime line in the delivery group that names it, by SKU or product id', async () => {
    setShopperToken(PRIME_TOKEN);
    const proxy = fakeProxy();
    const el = await fixture<BwpCheckoutOffers>(html`
      <bwp-checkout-offers .client=${proxy.client} .debounce=${0} .shippingAddress=${ADDRESS}>
        <bwp-line-item sku="A1"></bwp-line-item>
        <bwp-line-item product-id="id-C3"></bwp-line-item>
      </bwp-checkout-offers>
    `);
    (await proxy.next()).respond(offersResponse([{sku: 'A1'}, {sku: 'C3'}]));
    const changed = oneEvent(el, 'bwp-change');
    (await proxy.next()).respond(
      previewResponse([
        {
          products: ['id-C3'],
          offers: [
            {id: 'DO-c', message: 'Get it Friday'},
            {id: 'DO-c2', message: 'Get it Monday'},
          ],
        },
        {
          products: ['A1'],
          offers: [
            {id: 'DO-a', message: 'Get it Today'},
            {id: 'DO-a2', message: 'Get it Sunday'},
          ],
        },
      ]),
    );
    const selection = (await changed).detail as CheckoutSelection;
    expect(selection.lines.map((l) => l.deliveryOfferId)).to.deep.equal(['DO-a', 'DO-c']);
    expect(selection.lines[1]).to.include({productId: 'id-C3'});
    await el.updateComplete;
    expect(shadow(el).querySelectorAll('[role="radiogroup"]').length).to.equal(2);
    const [first, second] = lines(el);
    expect(first!.querySelector('[role="radiogroup"]')!.textContent).to.contain('Get it Sunday');
    expect(second!.querySelector('[role="radiogroup"]')!.textContent).to.contain('Get it Monday');
    await expect(el).to.be.accessible();
  });

  it('stops watching its line items once removed from the page', async () => {
    const proxy = fakeProxy();
    const {el, clock} = await mountOnClock(proxy, ['A1']);
    const loaded = oneEvent(el, 'bwp-load');
    (await proxy.next()).respond(offersResponse([{sku: 'A1'}]));
    await loaded;
    el.remove();
    el.querySelector('bwp-line-item')!.setAttribute('quantity', '2');
    setShopperToken(PRIME_TOKEN);
    await settle(el, clock);
    expect(proxy.calls.length).to.equal(1);
  });

  it('reflects state="empty" and sends nothing without an address', async () => {
    const proxy = fakeProxy();
    const clock = fakeClock(FRIDAY);
    const el = await fixture<BwpCheckoutOffers>(html`
      <bwp-checkout-offers .client=${proxy.client} .clock=${clock} .debounce=${0}>
        <bwp-line-item sku="A1"></bwp-line-item>
      </bwp-checkout-offers>
    `);
    clock.tick(0);
    await settle(el, clock);
    expect(el.getAttribute('state')).to.equal('empty');
    expect(proxy.calls.length).to.equal(0);
    await expect(el).to.be.accessible();
  });

  it('formats a delivery price in its currency and the page language', async () => {
    const proxy = fakeProxy();
    const wrapper = await fixture(html`
      <div lang="de-DE">
        <bwp-checkout-offers .client=${proxy.client} .debounce=${0} .shippingAddress=${ADDRESS}>
          <bwp-line-item sku="B2"></bwp-line-item>
        </bwp-checkout-offers>
      </div>
    `);
    const el = wrapper.querySelector('bwp-checkout-offers')!;
    const loaded = oneEvent(el, 'bwp-load');
    (await proxy.next()).respond(offersResponse([{sku: 'B2', prime: false, price: 4.5, currency: 'EUR'}]));
    await loaded;
    expect(shadow(el).querySelector('.price')!.textContent!.replace(/\s/g, ' ')).to.equal('4,50 €');
  });

  it('keeps the last offers on screen, with no selection, while new ones load', async () => {
    const proxy = fakeProxy();
    const el = await mount(proxy, ['A1']);
    (await proxy.next()).respond(offersResponse([{sku: 'A1', message: 'Get it Monday'}]));
    await oneEvent(el, 'bwp-load');
    el.shippingAddress = {...ADDRESS, streetAddress: '1 Main St'};
    await proxy.next();
    await el.updateComplete;
    expect(el.state).to.equal('loading');
    expect(el.selection).to.equal(null);
    expect(shadow(el).querySelector('[part="delivery"]')!.textContent).to.equal('Get it Monday');
  });
});
