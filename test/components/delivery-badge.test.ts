import {expect, fixture, html, oneEvent} from '@open-wc/testing';
import '../../src/components/delivery-badge/define.js';
import type {BwpDeliveryBadge} from '../../src/components/delivery-badge/delivery-badge.js';
import {setShopperToken} from '../../src/api/identity.js';
import {fakeProxy, offerResponse} from './fake-proxy.js';

const delivery = (el: BwpDeliveryBadge) => el.shadowRoot!.querySelector('[part="delivery"]');
const badge = (el: BwpDeliveryBadge) => el.shadowRoot!.querySelector('[part="badge"]');

describe('<bwp-delivery-badge>', () => {
  it('shows the Prime badge and Amazon’s message, verbatim, when the offer is PRIME', async () => {
    const proxy = fakeProxy();
    const el = await fixture<BwpDeliveryBadge>(
      html`<bwp-delivery-badge sku="A1" .client=${proxy.client}></bwp-delivery-badge>`,
    );
    expect(el.state).to.equal('loading');
    const loaded = oneEvent(el, 'bwp-load');
    (await proxy.next()).respond(offerResponse({message: 'Get it as soon as Tomorrow May 11'}));
    await loaded;
    expect(el.getAttribute('state')).to.equal('ready');
    expect(delivery(el)!.textContent).to.equal('Get it as soon as Tomorrow May 11');
    expect(badge(el)!.getAttribute('role')).to.equal('img');
    expect(badge(el)!.getAttribute('aria-label')).to.contain('Prime');
    await expect(el).to.be.accessible();
  });

  it('asks the proxy for the product by SKU with the quantity', async () => {
    const proxy = fakeProxy();
    await fixture(
      html`<bwp-delivery-badge sku="A1" quantity="3" .client=${proxy.client}></bwp-delivery-badge>`,
    );
    const call = await proxy.next();
    expect(call.body).to.deep.equal({
      documentId: 'ProductOffers.v1',
      variables: {lineItems: [{product: {identifier: {sku: 'A1'}}, amount: {unit: 'ONE', value: 3}}]},
    });
  });

  it('renders nothing and reflects state="empty" when the offer is not PRIME', async () => {
    const proxy = fakeProxy();
    const el = await fixture<BwpDeliveryBadge>(
      html`<bwp-delivery-badge sku="A2" .client=${proxy.client}></bwp-delivery-badge>`,
    );
    (await proxy.next()).respond(offerResponse({badge: 'NONE', message: 'Get it as soon as Friday, Nov 27'}));
    await el.updateComplete;
    await new Promise((r) => setTimeout(r));
    await el.updateComplete;
    expect(el.state).to.equal('empty');
    expect(badge(el)).to.equal(null);
    expect(el.shadowRoot!.textContent!.trim()).to.equal('');
  });

  it('keeps the light-DOM fallback and fires bwp-error with the code when the proxy fails', async () => {
    const proxy = fakeProxy();
    const el = await fixture<BwpDeliveryBadge>(
      html`<bwp-delivery-badge sku="A3" .client=${proxy.client}>Ships in 2 days</bwp-delivery-badge>`,
    );
    const failed = oneEvent(el, 'bwp-error');
    (await proxy.next()).respond({data: null, errors: [{message: 'x', extensions: {code: 'not_found'}}]});
    const event = await failed;
    expect(event.detail.code).to.equal('not_found');
    expect(el.state).to.equal('error');
    expect(el.shadowRoot!.querySelector('slot')).to.not.equal(null);
  });

  it('maps a network failure to unavailable', async () => {
    const proxy = fakeProxy();
    const el = await fixture<BwpDeliveryBadge>(
      html`<bwp-delivery-badge sku="A4" .client=${proxy.client}></bwp-delivery-badge>`,
    );
    const failed = oneEvent(el, 'bwp-error');
    (await proxy.next()).fail();
    expect((await failed).detail.code).to.equal('unavailable');
  });

  it('refetches when the SKU changes and keeps the last promise on screen meanwhile', async () => {
    const proxy = fakeProxy();
    const el = await fixture<BwpDeliveryBadge>(
      html`<bwp-delivery-badge sku="A1" .client=${proxy.client}></bwp-delivery-badge>`,
    );
    (await proxy.next()).respond(offerResponse({message: 'Get it as soon as Tuesday, Nov 24'}));
    await oneEvent(el, 'bwp-load');
    el.sku = 'B2';
    await el.updateComplete;
    expect(el.state).to.equal('loading');
    expect(delivery(el)!.textContent).to.equal('Get it as soon as Tuesday, Nov 24');
    const call = await proxy.next();
    expect(
      (call.body as {variables: {lineItems: Array<{product: unknown}>}}).variables.lineItems[0]!.product,
    ).to.deep.equal({
      identifier: {sku: 'B2'},
    });
    call.respond(offerResponse({message: 'Get it as soon as Wednesday, Nov 25'}));
    await oneEvent(el, 'bwp-load');
    expect(delivery(el)!.textContent).to.equal('Get it as soon as Wednesday, Nov 25');
  });

  it('sends the shopper token in a header and refetches when the shopper signs in', async () => {
    const proxy = fakeProxy();
    const el = await fixture<BwpDeliveryBadge>(
      html`<bwp-delivery-badge sku="A1" .client=${proxy.client}></bwp-delivery-badge>`,
    );
    const first = await proxy.next();
    expect(first.headers.has('x-bwp-shopper-token')).to.equal(false);
    first.respond(offerResponse());
    await oneEvent(el, 'bwp-load');
    try {
      setShopperToken('Atza|test');
      const second = await proxy.next();
      expect(second.headers.get('x-bwp-shopper-token')).to.equal('Atza|test');
    } finally {
      setShopperToken(null);
    }
  });

  it('renders hostile text from the API as text', async () => {
    const proxy = fakeProxy();
    const el = await fixture<BwpDeliveryBadge>(
      html`<bwp-delivery-badge sku="A1" .client=${proxy.client}></bwp-delivery-badge>`,
    );
    const hostile = '<img src=x onerror="window.__pwned=1">Get it <b>now</b>';
    (await proxy.next()).respond(offerResponse({message: hostile}));
    await oneEvent(el, 'bwp-load');
    expect(delivery(el)!.textContent).to.equal(hostile);
    expect(el.shadowRoot!.querySelector('img, b')).to.equal(null);
    expect((window as {__pwned?: number}).__pwned).to.equal(undefined);
  });

  it('batches badges created in the same task into one HTTP request', async () => {
    const proxy = fakeProxy();
    const grid = await fixture(
      html`<div>
        ${['S1', 'S2', 'S3'].map((sku) => html`<bwp-delivery-badge sku=${sku} .client=${proxy.client}></bwp-delivery-badge>`)}
      </div>`,
    );
    const call = await proxy.next();
    expect(call.body).to.be.an('array').with.length(3);
    call.respond([offerResponse(), offerResponse({badge: 'NONE'}), offerResponse()]);
    const badges = [...grid.querySelectorAll('bwp-delivery-badge')];
    await new Promise((r) => setTimeout(r, 10));
    expect(badges.map((b) => b.state)).to.deep.equal(['ready', 'empty', 'ready']);
    expect(proxy.calls.length).to.equal(1);
  });
});
