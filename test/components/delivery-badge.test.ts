import {expect, fixture, html, oneEvent} from '@open-wc/testing';
import '../../src/components/delivery-badge/define.js';
import type {BwpDeliveryBadge} from '../../src/components/delivery-badge/delivery-badge.js';
import {setShopperToken} from '../../src/api/identity.js';
import {expectSteadyBlockSize, fakeProxy, offerResponse, whenState} from './fake-proxy.js';

const delivery = (el: BwpDeliveryBadge) => el.shadowRoot!.querySelector<HTMLElement>('[part="delivery"]');
const badge = (el: BwpDeliveryBadge) => el.shadowRoot!.querySelector('[part="badge"]');
const lineItems = (body: unknown) => (body as {variables: {lineItems: unknown[]}}).variables.lineItems;

async function badgeFor(proxy: ReturnType<typeof fakeProxy>, attrs = 'sku="A1"', fallback = '') {
  const el = await fixture<BwpDeliveryBadge>(`<bwp-delivery-badge ${attrs}>${fallback}</bwp-delivery-badge>`);
  el.client = proxy.client;
  await el.updateComplete;
  return el;
}

describe('<bwp-delivery-badge>', () => {
  it('shows the Prime badge and Amazon’s message, verbatim, when the offer is PRIME', async () => {
    const proxy = fakeProxy();
    const el = await fixture<BwpDeliveryBadge>(
      html`<bwp-delivery-badge sku="A1" .client=${proxy.client}></bwp-delivery-badge>`,
    );
    expect(el.state).to.equal('loading');
    await expect(el).to.be.accessible();
    const loaded = oneEvent(el, 'bwp-load');
    (await proxy.next()).respond(offerResponse({message: 'Get it as soon as Tomorrow May 11'}));
    const event = await loaded;
    expect(event.detail).to.include({prime: true, message: 'Get it as soon as Tomorrow May 11'});
    expect(el.getAttribute('state')).to.equal('ready');
    expect(delivery(el)!.textContent).to.equal('Get it as soon as Tomorrow May 11');
    expect(badge(el)!.getAttribute('role')).to.equal('img');
    expect(badge(el)!.getAttribute('aria-label')).to.contain('Prime');
    await expect(el).to.be.accessible();
  });

  it('asks the proxy for the product by SKU with the quantity, or by product id', async () => {
    const proxy = fakeProxy();
    await fixture(
      html`<bwp-delivery-badge sku="A1" quantity="3" .client=${proxy.client}></bwp-delivery-badge>
        <bwp-delivery-badge product-id="P9" .client=${proxy.client}></bwp-delivery-badge>`,
    );
    const call = await proxy.next();
    expect(call.body).to.deep.equal([
      {
        documentId: 'ProductOffers.v1',
        variables: {lineItems: [{product: {identifier: {sku: 'A1'}}, amount: {unit: 'ONE', value: 3}}]},
      },
      {
        documentId: 'ProductOffers.v1',
        variables: {
          lineItems: [{product: {identifier: {productId: 'P9'}}, amount: {unit: 'ONE', value: 1}}],
        },
      },
    ]);
  });

  it('asks for one item when the quantity attribute is not a whole number from 1', async () => {
    const proxy = fakeProxy();
    await fixture(
      html`<bwp-delivery-badge sku="A1" quantity="lots" .client=${proxy.client}></bwp-delivery-badge>
        <bwp-delivery-badge sku="A2" quantity="-2" .client=${proxy.client}></bwp-delivery-badge>
        <bwp-delivery-badge sku="A3" quantity="1.5" .client=${proxy.client}></bwp-delivery-badge>`,
    );
    const call = await proxy.next();
    const amounts = (call.body as Array<{variables: {lineItems: Array<{amount: unknown}>}}>).map(
      (op) => op.variables.lineItems[0]!.amount,
    );
    expect(amounts).to.deep.equal([1, 1, 1].map((value) => ({unit: 'ONE', value})));
  });

  it('is empty, with no request, while it names no product', async () => {
    const proxy = fakeProxy();
    // The element asks its client while it updates; the HTTP request would follow a task later.
    const asked: unknown[] = [];
    const request = proxy.client.request.bind(proxy.client);
    proxy.client.request = (...args) => (asked.push(args), request(...args));
    const el = await badgeFor(proxy, '');
    expect(el.state).to.equal('empty');
    expect(asked).to.deep.equal([]);
    expect(proxy.calls.length).to.equal(0);
  });

  it('renders nothing and reflects state="empty" when the offer is not PRIME', async () => {
    const proxy = fakeProxy();
    const el = await badgeFor(proxy, 'sku="A2"', 'Ships in 2 days');
    let loads = 0;
    el.addEventListener('bwp-load', () => loads++);
    (await proxy.next()).respond(offerResponse({badge: 'NONE', message: 'Get it as soon as Friday, Nov 27'}));
    await whenState(el, 'empty');
    expect(badge(el)).to.equal(null);
    expect(el.shadowRoot!.querySelector('slot')).to.equal(null);
    expect(el.shadowRoot!.textContent!.trim()).to.equal('');
    expect(loads).to.equal(0);
    await expect(el).to.be.accessible();
  });

  it('keeps the light-DOM fallback and fires bwp-error with the code when the proxy fails', async () => {
    const proxy = fakeProxy();
    const el = await badgeFor(proxy, 'sku="A3"', 'Ships in 2 days');
    const failed = oneEvent(el, 'bwp-error');
    (await proxy.next()).respond({data: null, errors: [{message: 'x', extensions: {code: 'rate_limited'}}]});
    const event = await failed;
    expect(event.detail).to.deep.equal({code: 'rate_limited', reason: 'rate_limited'});
    expect(el.diagnostics).to.include({state: 'error', reason: 'rate_limited'});
    expect(event.bubbles && event.composed).to.equal(true);
    expect(el.state).to.equal('error');
    expect(el.shadowRoot!.querySelector('slot')).to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  it('maps a network failure that survives its one retry to unavailable', async () => {
    const proxy = fakeProxy();
    const el = await badgeFor(proxy);
    const failed = oneEvent(el, 'bwp-error');
    (await proxy.next()).fail();
    (await proxy.next()).fail();
    expect((await failed).detail.code).to.equal('unavailable');
    expect(proxy.calls.length).to.equal(2);
  });

  it('refetches when the SKU changes, keeps the last promise on screen meanwhile, and aborts the old request', async () => {
    const proxy = fakeProxy();
    const el = await badgeFor(proxy);
    (await proxy.next()).respond(offerResponse({message: 'Get it as soon as Tuesday, Nov 24'}));
    await whenState(el, 'ready');
    el.quantity = 2;
    await el.updateComplete;
    const superseded = await proxy.next();
    el.setAttribute('sku', 'B2');
    await el.updateComplete;
    expect(superseded.signal!.aborted).to.equal(true);
    expect(el.state).to.equal('loading');
    expect(delivery(el)!.textContent).to.equal('Get it as soon as Tuesday, Nov 24');
    const call = await proxy.next();
    expect(lineItems(call.body)[0]).to.deep.equal({
      product: {identifier: {sku: 'B2'}},
      amount: {unit: 'ONE', value: 2},
    });
    const loaded = oneEvent(el, 'bwp-load');
    call.respond(offerResponse({message: 'Get it as soon as Wednesday, Nov 25'}));
    await loaded;
    expect(delivery(el)!.textContent).to.equal('Get it as soon as Wednesday, Nov 25');
  });

  it('goes from ready to empty to ready as the shopper picks sizes, keeping nothing Prime for the non-Prime one', async () => {
    const proxy = fakeProxy();
    const el = await badgeFor(proxy, 'sku="TEE-M"');
    (await proxy.next()).respond(offerResponse());
    await whenState(el, 'ready');
    el.sku = 'TEE-XXL';
    (await proxy.next()).respond(offerResponse({badge: 'NONE'}));
    await whenState(el, 'empty');
    expect(badge(el)).to.equal(null);
    el.sku = 'TEE-M';
    await el.updateComplete;
    expect(el.state).to.equal('loading');
    expect(badge(el), 'the last (empty) answer stays until the new one').to.equal(null);
    (await proxy.next()).respond(offerResponse());
    await whenState(el, 'ready');
    expect(badge(el)).to.not.equal(null);
  });

  it('sends the shopper token in a header and refetches when the shopper signs in and out', async () => {
    const proxy = fakeProxy();
    const el = await badgeFor(proxy);
    const first = await proxy.next();
    expect(first.headers.has('x-bwp-shopper-token')).to.equal(false);
    first.respond(offerResponse());
    await whenState(el, 'ready');
    try {
      setShopperToken('Atza|test');
      const second = await proxy.next();
      expect(second.headers.get('x-bwp-shopper-token')).to.equal('Atza|test');
      second.respond(offerResponse());
      setShopperToken(null);
      const third = await proxy.next();
      expect(third.headers.has('x-bwp-shopper-token')).to.equal(false);
    } finally {
      setShopperToken(null);
    }
    expect(JSON.stringify(localStorage) + document.cookie).to.not.contain('Atza');
  });

  it('renders hostile text from the API as text', async () => {
    const proxy = fakeProxy();
    const el = await badgeFor(proxy);
    const hostile = '<img src=x onerror="window.__pwned=1">Get it <b>now</b>';
    (await proxy.next()).respond(offerResponse({message: hostile, locale: '"><script>'}));
    await whenState(el, 'ready');
    expect(delivery(el)!.textContent).to.equal(hostile);
    expect(el.shadowRoot!.querySelector('img, b, script')).to.equal(null);
    expect((window as {__pwned?: number}).__pwned).to.equal(undefined);
  });

  it('shows nothing Prime for hostile shapes: a PRIME badge with no text, numbers, arrays', async () => {
    const proxy = fakeProxy();
    const el = await badgeFor(proxy);
    const weird = offerResponse() as any;
    weird.data.offers.edges[0].node.lineItems[0].deliveryOffer.details.policy.messaging = {
      badge: 'PRIME',
      messageText: ['x'],
    };
    (await proxy.next()).respond(weird);
    await whenState(el, 'empty');
    el.sku = 'A2';
    (await proxy.next()).respond({data: {offers: {edges: 7}}});
    await whenState(el, 'loading');
    await whenState(el, 'empty');
    el.sku = 'A3';
    (await proxy.next()).respond([1, 2]);
    await whenState(el, 'loading');
    await whenState(el, 'error');
  });

  it('keeps working when a page listener throws', async () => {
    const proxy = fakeProxy();
    const el = await badgeFor(proxy);
    const previous = window.onerror;
    const reported: unknown[] = [];
    window.onerror = (message) => {
      reported.push(message);
      return true;
    };
    try {
      el.addEventListener('bwp-load', () => {
        throw new Error('merchant bug');
      });
      (await proxy.next()).respond(offerResponse());
      await whenState(el, 'ready');
      await el.updateComplete;
      el.sku = 'B2';
      (await proxy.next()).respond(offerResponse({message: 'Get it Friday'}));
      await whenState(el, 'loading');
      await whenState(el, 'ready');
      expect(delivery(el)!.textContent).to.equal('Get it Friday');
    } finally {
      window.onerror = previous;
    }
  });

  it('announces changes politely, but not the first offer', async () => {
    const proxy = fakeProxy();
    const el = await badgeFor(proxy);
    const root = () => el.shadowRoot!.querySelector('.root')!;
    expect(root().hasAttribute('aria-live')).to.equal(false);
    (await proxy.next()).respond(offerResponse());
    await whenState(el, 'ready');
    expect(root().getAttribute('aria-live')).to.equal('polite');
    el.sku = 'B2';
    (await proxy.next()).respond(offerResponse({message: 'Get it Friday'}));
    await whenState(el, 'loading');
    await whenState(el, 'ready');
    expect(root().getAttribute('aria-live')).to.equal('polite');
    expect(root().textContent).to.contain('Get it Friday');
  });

  it('marks Amazon’s text with its locale when the page is in another language, else inherits', async () => {
    const proxy = fakeProxy();
    const wrapper = await fixture<HTMLElement>(
      html`<div lang="fr">
        <bwp-delivery-badge sku="A1" .client=${proxy.client}></bwp-delivery-badge>
      </div>`,
    );
    const el = wrapper.querySelector('bwp-delivery-badge')!;
    (await proxy.next()).respond(offerResponse({locale: 'en-US'}));
    await whenState(el, 'ready');
    expect(delivery(el)!.getAttribute('lang')).to.equal('en-US');
    el.closest('[lang]')!.setAttribute('lang', 'en-GB');
    el.refresh();
    (await proxy.next()).respond(offerResponse({locale: 'en-US'}));
    await whenState(el, 'loading');
    await whenState(el, 'ready');
    expect(delivery(el)!.hasAttribute('lang')).to.equal(false);
  });

  it('keeps the same block size in loading, ready, empty and error, in both variants', async () => {
    for (const variant of ['inline', 'compact']) {
      const proxy = fakeProxy();
      const el = await badgeFor(proxy, `sku="A1" variant="${variant}"`, 'Fast delivery');
      await expectSteadyBlockSize(el, proxy, {
        minimum: 10,
        fail: async () => (await proxy.next()).respond({}, 404),
      });
    }
  });

  it('collapses when empty with reserve="none"', async () => {
    const proxy = fakeProxy();
    const el = await badgeFor(proxy, 'sku="A2" reserve="none"');
    (await proxy.next()).respond(offerResponse({badge: 'NONE'}));
    await whenState(el, 'empty');
    expect(el.getBoundingClientRect().height).to.equal(0);
  });

  it('shows the whole promise in the compact variant: it wraps, with no ellipsis and nothing clipped', async () => {
    const proxy = fakeProxy();
    const wrapper = await fixture<HTMLElement>(
      html`<div style="inline-size: 120px">
        <bwp-delivery-badge sku="A1" variant="compact" .client=${proxy.client}></bwp-delivery-badge>
      </div>`,
    );
    const el = wrapper.querySelector('bwp-delivery-badge')!;
    const long = 'Get it as soon as Wednesday, November 25, with free delivery';
    (await proxy.next()).respond(offerResponse({message: long}));
    await whenState(el, 'ready');
    const text = delivery(el)!;
    expect(text.textContent).to.equal(long);
    expect(getComputedStyle(text).textOverflow).to.not.equal('ellipsis');
    expect(text.scrollWidth).to.be.at.most(text.clientWidth);
    expect(text.getBoundingClientRect().height).to.be.greaterThan(30);
    await expect(el).to.be.accessible();
  });

  it('fetches again on refresh(), keeping the offer on screen until the new one arrives', async () => {
    const proxy = fakeProxy();
    const el = await badgeFor(proxy);
    (await proxy.next()).respond(offerResponse({message: 'Get it Tuesday'}));
    await whenState(el, 'ready');
    el.refresh();
    const again = await proxy.next();
    expect(el.state).to.equal('loading');
    expect(delivery(el)!.textContent).to.equal('Get it Tuesday');
    again.respond(offerResponse({message: 'Get it Wednesday'}));
    await whenState(el, 'ready');
    expect(delivery(el)!.textContent).to.equal('Get it Wednesday');
  });
});
