import {expect, fixture, html} from '@open-wc/testing';
import '../../src/components/delivery-badge/define.js';
import '../../src/components/offer-summary/define.js';
import type {BwpDeliveryBadge} from '../../src/components/delivery-badge/delivery-badge.js';
import type {BwpOfferSummary} from '../../src/components/offer-summary/offer-summary.js';
import {fakeClock, fakeProxy, offerResponse, whenState} from './fake-proxy.js';

const delivery = (el: Element) => el.shadowRoot!.querySelector('[part="delivery"]');

async function loaded(options: {expiresAt?: string; attrs?: string} = {}) {
  const clock = fakeClock();
  const proxy = fakeProxy({clock});
  const el = await fixture<BwpDeliveryBadge>(
    `<bwp-delivery-badge sku="A1" ${options.attrs ?? ''}>Fast delivery</bwp-delivery-badge>`,
  );
  el.client = proxy.client;
  (await proxy.next()).respond(offerResponse({message: 'Get it Tuesday', expiresAt: options.expiresAt}));
  await whenState(el, 'ready');
  return {el, clock, proxy};
}

/** Pretends the tab is hidden or shown: visibilityState is a getter on Document.prototype. */
function setVisibility(state: 'hidden' | 'visible') {
  if (state === 'visible') delete (document as {visibilityState?: string}).visibilityState;
  else Object.defineProperty(document, 'visibilityState', {value: state, configurable: true});
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('fresh offers', () => {
  afterEach(() => delete (document as {visibilityState?: string}).visibilityState);

  it('refetches when the page is restored from the back/forward cache, not on a first load', async () => {
    const {el, proxy} = await loaded();
    window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: false}));
    await el.updateComplete;
    expect(el.state).to.equal('ready');
    window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}));
    const again = await proxy.next();
    expect(el.state).to.equal('loading');
    expect(delivery(el)!.textContent, 'stale while revalidating').to.equal('Get it Tuesday');
    again.respond(offerResponse({message: 'Get it Wednesday'}));
    await whenState(el, 'ready');
    expect(delivery(el)!.textContent).to.equal('Get it Wednesday');
  });

  it('refetches when the tab is shown again after revisit-after seconds, not sooner', async () => {
    const {el, clock, proxy} = await loaded({attrs: 'revisit-after="30"'});
    setVisibility('hidden');
    clock.tick(29_000);
    setVisibility('visible');
    await el.updateComplete;
    expect(proxy.calls.length).to.equal(1);
    setVisibility('hidden');
    clock.tick(30_000);
    setVisibility('visible');
    (await proxy.next()).respond(offerResponse());
    expect(proxy.calls.length).to.equal(2);
  });

  it('refetches when the network comes back online', async () => {
    const {proxy} = await loaded();
    window.dispatchEvent(new Event('online'));
    (await proxy.next()).respond(offerResponse());
    expect(proxy.calls.length).to.equal(2);
  });

  it('drops an offer the moment its expiresAt passes and fetches a new one', async () => {
    const start = fakeClock().now();
    const {el, clock, proxy} = await loaded({expiresAt: new Date(start + 60_000).toISOString()});
    clock.tick(59_999);
    await el.updateComplete;
    expect(el.state).to.equal('ready');
    clock.tick(1);
    await el.updateComplete;
    expect(el.state).to.equal('loading');
    expect(delivery(el), 'an expired offer is never shown').to.equal(null);
    expect(el.shadowRoot!.querySelector('slot')).to.not.equal(null);
    (await proxy.next()).respond(offerResponse({message: 'Get it Thursday'}));
    await whenState(el, 'ready');
    expect(delivery(el)!.textContent).to.equal('Get it Thursday');
  });

  it('keeps a stale offer on screen for at most five seconds while the new one loads', async () => {
    const {el, clock, proxy} = await loaded();
    el.refresh();
    const slow = await proxy.next();
    clock.tick(4_999);
    await el.updateComplete;
    expect(delivery(el)!.textContent).to.equal('Get it Tuesday');
    clock.tick(1);
    await el.updateComplete;
    expect(delivery(el)).to.equal(null);
    expect(el.state).to.equal('loading');
    slow.respond(offerResponse({message: 'Get it Friday'}));
    await whenState(el, 'ready');
    expect(delivery(el)!.textContent).to.equal('Get it Friday');
  });

  it('refetches an offer that expired while the element was out of the page', async () => {
    const start = fakeClock().now();
    const {el, clock, proxy} = await loaded({expiresAt: new Date(start + 60_000).toISOString()});
    const parent = el.parentNode!;
    el.remove();
    expect(clock.pending, 'no timer left behind').to.equal(0);
    clock.tick(120_000);
    parent.appendChild(el);
    (await proxy.next()).respond(offerResponse());
    expect(proxy.calls.length).to.equal(2);
  });

  it('offers refresh() on the summary too', async () => {
    const proxy = fakeProxy();
    const el = await fixture<BwpOfferSummary>(
      html`<bwp-offer-summary sku="A1" .client=${proxy.client}></bwp-offer-summary>`,
    );
    (await proxy.next()).respond(offerResponse());
    await whenState(el, 'ready');
    el.refresh();
    (await proxy.next()).respond(offerResponse());
    expect(proxy.calls.length).to.equal(2);
  });

  it('leaves no listener or timer behind after 1,000 connect/disconnect cycles', async () => {
    const start = fakeClock().now();
    const {el, clock, proxy} = await loaded({expiresAt: new Date(start + 3_600_000).toISOString()});
    const summary = document.createElement('bwp-offer-summary');
    summary.sku = 'A1';
    summary.client = proxy.client;
    const parent = el.parentNode!;
    el.remove();
    const balance = new Map<string, number>();
    const originals = [window, document].map((target) => {
      const {addEventListener: add, removeEventListener: remove} = target;
      const name = target === window ? 'window' : 'document';
      target.addEventListener = function (this: EventTarget, type: string, ...rest: any[]) {
        balance.set(`${name}:${type}`, (balance.get(`${name}:${type}`) ?? 0) + 1);
        return (add as any).call(this, type, ...rest);
      } as typeof add;
      target.removeEventListener = function (this: EventTarget, type: string, ...rest: any[]) {
        balance.set(`${name}:${type}`, (balance.get(`${name}:${type}`) ?? 0) - 1);
        return (remove as any).call(this, type, ...rest);
      } as typeof remove;
      return {target, add, remove};
    });
    let added = 0;
    try {
      for (let i = 0; i < 1000; i++) {
        parent.appendChild(el);
        parent.appendChild(summary);
        if (i === 0) added = [...balance.values()].reduce((a, b) => a + b, 0);
        if (i % 100 === 0) await el.updateComplete;
        el.remove();
        summary.remove();
      }
    } finally {
      for (const {target, add, remove} of originals) {
        delete (target as Partial<EventTarget>).addEventListener;
        delete (target as Partial<EventTarget>).removeEventListener;
        expect(target.addEventListener).to.equal(add);
        expect(target.removeEventListener).to.equal(remove);
      }
    }
    expect(added, 'listeners while connected').to.equal(6);
    expect(Object.fromEntries(balance)).to.deep.equal({
      'window:pageshow': 0,
      'window:online': 0,
      'document:visibilitychange': 0,
    });
    expect(clock.pending).to.equal(0);
  });
});
