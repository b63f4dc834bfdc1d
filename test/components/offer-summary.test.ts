import {expect, fixture, html, oneEvent} from '@open-wc/testing';
import '../../src/components/offer-summary/define.js';
import type {BwpOfferSummary} from '../../src/components/offer-summary/offer-summary.js';
import {expectSteadyBlockSize, fakeProxy, offerResponse, whenState} from './fake-proxy.js';

const part = (el: BwpOfferSummary, name: string) =>
  el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);

async function summaryFor(proxy: ReturnType<typeof fakeProxy>, attrs = 'sku="A1"', fallback = '') {
  const el = await fixture<BwpOfferSummary>(`<bwp-offer-summary ${attrs}>${fallback}</bwp-offer-summary>`);
  el.client = proxy.client;
  await el.updateComplete;
  return el;
}

describe('<bwp-offer-summary>', () => {
  it('shows the badge, "FREE Delivery & Returns", Amazon’s promise and the return policy for a returnable Prime item', async () => {
    const proxy = fakeProxy();
    const el = await summaryFor(proxy, 'sku="A1"', 'Free shipping on orders over $25');
    await expect(el).to.be.accessible();
    const loaded = oneEvent(el, 'bwp-load');
    (await proxy.next()).respond(offerResponse({message: 'Get it as soon as Tomorrow, May 11'}));
    const event = await loaded;
    expect(event.detail.returns).to.deep.equal({
      title: 'Free 30-day returns',
      description: 'This item is eligible for free 30-day returns through Buy with Prime',
      returnable: true,
    });
    expect(el.state).to.equal('ready');
    expect(part(el, 'badge')!.getAttribute('aria-label')).to.contain('Prime');
    expect(part(el, 'headline')!.querySelector('span')!.textContent!.trim()).to.equal(
      'FREE Delivery & Returns',
    );
    expect(part(el, 'delivery')!.textContent).to.equal('Get it as soon as Tomorrow, May 11');
    const details = part(el, 'returns')!.querySelector('details')!;
    expect(details.open).to.equal(false);
    expect(details.querySelector('summary')!.textContent).to.equal('Free 30-day returns');
    expect(details.querySelector('p')!.textContent).to.equal(
      'This item is eligible for free 30-day returns through Buy with Prime',
    );
    await expect(el).to.be.accessible();
    details.open = true;
    await expect(el).to.be.accessible();
  });

  it('says "FREE delivery" with Amazon’s own wording when the Prime item is not returnable', async () => {
    const proxy = fakeProxy();
    const el = await summaryFor(proxy);
    (await proxy.next()).respond(
      offerResponse({
        returns: {
          title: 'Not returnable',
          description: 'This item is not eligible for a return through Buy with Prime',
          resolutionTypes: [],
        },
      }),
    );
    await whenState(el, 'ready');
    expect(part(el, 'headline')!.querySelector('span')!.textContent!.trim()).to.equal('FREE delivery');
    expect(part(el, 'returns')!.querySelector('summary')!.textContent).to.equal('Not returnable');
  });

  it('says "FREE delivery" and leaves out the return policy when there is no reversal offer', async () => {
    const proxy = fakeProxy();
    const el = await summaryFor(proxy);
    (await proxy.next()).respond(offerResponse({returns: null}));
    await whenState(el, 'ready');
    expect(part(el, 'headline')!.querySelector('span')!.textContent!.trim()).to.equal('FREE delivery');
    expect(part(el, 'returns')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows a returns title without a disclosure when Amazon gives no description', async () => {
    const proxy = fakeProxy();
    const el = await summaryFor(proxy);
    (await proxy.next()).respond(
      offerResponse({returns: {title: 'Free 30-day returns', resolutionTypes: ['RETURN']}}),
    );
    await whenState(el, 'ready');
    expect(part(el, 'returns')!.textContent!.trim()).to.equal('Free 30-day returns');
    expect(part(el, 'returns')!.querySelector('details')).to.equal(null);
  });

  it('shows the anonymous and the signed-in wording exactly as the API sends them', async () => {
    const proxy = fakeProxy();
    const el = await summaryFor(proxy);
    (await proxy.next()).respond(offerResponse({message: 'Get it as soon as Tomorrow, May 11'}));
    await whenState(el, 'ready');
    el.refresh();
    (await proxy.next()).respond(offerResponse({message: 'Get it Tomorrow, May 11'}));
    await whenState(el, 'loading');
    await whenState(el, 'ready');
    expect(part(el, 'delivery')!.textContent).to.equal('Get it Tomorrow, May 11');
  });

  it('shows nothing Prime, and no returns, for a product that is not Prime', async () => {
    const proxy = fakeProxy();
    const el = await summaryFor(proxy, 'sku="A2"', 'Ships in 5 days');
    (await proxy.next()).respond(offerResponse({badge: 'NONE', returns: null}));
    await whenState(el, 'empty');
    expect(el.shadowRoot!.textContent!.trim()).to.equal('');
    expect(el.shadowRoot!.querySelector('slot')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('keeps its fallback and fires bwp-error with the code when the shopper token expired', async () => {
    const proxy = fakeProxy();
    const el = await summaryFor(proxy, 'sku="A1"', 'Ships in 5 days');
    const failed = oneEvent(el, 'bwp-error');
    (await proxy.next()).respond({
      data: null,
      errors: [{message: 'sign in', extensions: {code: 'shopper_token_expired'}}],
    });
    expect((await failed).detail.code).to.equal('shopper_token_expired');
    expect(el.state).to.equal('error');
    expect(el.shadowRoot!.querySelector('slot')!.assignedNodes()[0]!.textContent).to.equal('Ships in 5 days');
    await expect(el).to.be.accessible();
  });

  it('renders hostile titles and descriptions as text', async () => {
    const proxy = fakeProxy();
    const el = await summaryFor(proxy);
    const title = '<a href="javascript:alert(1)">Free</a>';
    const description = '<img src=x onerror=alert(1)><details open>';
    (await proxy.next()).respond(offerResponse({returns: {title, description, resolutionTypes: ['RETURN']}}));
    await whenState(el, 'ready');
    expect(part(el, 'returns')!.querySelector('summary')!.textContent).to.equal(title);
    expect(part(el, 'returns')!.querySelector('p')!.textContent).to.equal(description);
    expect(el.shadowRoot!.querySelectorAll('a, img').length).to.equal(0);
  });

  it('keeps the same block size in loading, ready, empty and error', async () => {
    const proxy = fakeProxy();
    const el = await summaryFor(proxy, 'sku="A1"', 'Ships in 5 days');
    await expectSteadyBlockSize(el, proxy, {
      minimum: 40,
      // The client retries a 503 once before the element shows the error.
      fail: async () => {
        (await proxy.next()).respond({}, 503);
        (await proxy.next()).respond({}, 503);
      },
    });
  });

  it('marks its own English words as English on a page in another language', async () => {
    const proxy = fakeProxy();
    const wrapper = await fixture<HTMLElement>(
      html`<div lang="de">
        <bwp-offer-summary sku="A1" .client=${proxy.client}></bwp-offer-summary>
      </div>`,
    );
    const el = wrapper.querySelector('bwp-offer-summary')!;
    (await proxy.next()).respond(offerResponse({locale: 'en-US'}));
    await whenState(el, 'ready');
    expect(part(el, 'headline')!.querySelector('span')!.getAttribute('lang')).to.equal('en');
    expect(part(el, 'delivery')!.getAttribute('lang')).to.equal('en-US');
  });

  it('takes the API locale when the page declares no language', async () => {
    const proxy = fakeProxy();
    const html_ = document.documentElement;
    const pageLang = html_.getAttribute('lang');
    html_.removeAttribute('lang');
    try {
      const el = await summaryFor(proxy);
      (await proxy.next()).respond(offerResponse({locale: 'en-US'}));
      await whenState(el, 'ready');
      expect(el.shadowRoot!.querySelector('.root')!.getAttribute('lang')).to.equal('en-US');
    } finally {
      if (pageLang !== null) html_.setAttribute('lang', pageLang);
    }
  });
});
