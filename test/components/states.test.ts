import {expect, fixture, html, oneEvent} from '@open-wc/testing';
import '../../src/components/delivery-badge/define.js';
import '../../src/components/offer-summary/define.js';
import type {BwpDeliveryBadge} from '../../src/components/delivery-badge/delivery-badge.js';
import type {BwpOfferSummary} from '../../src/components/offer-summary/offer-summary.js';
import {HINTS, REASONS} from '../../src/api/diagnostics.js';
import {fakeProxy, offerResponse, whenState} from './fake-proxy.js';

const refusal = (code: string, reason?: string) => ({
  data: null,
  errors: [{message: 'no', extensions: reason ? {code, reason} : {code}}],
});

describe('honest states: Amazon saying no is empty, with a reason; failing to ask is error', () => {
  for (const [answer, reason] of [
    [refusal('not_eligible', 'out_of_stock'), 'out_of_stock'],
    [refusal('not_eligible', 'quantity_unavailable'), 'quantity_unavailable'],
    [refusal('not_eligible', 'not_prime'), 'not_prime'],
    [refusal('not_eligible'), 'not_prime'],
    [refusal('not_found'), 'unknown_product'],
    [refusal('not_found', 'unknown_product'), 'unknown_product'],
    [refusal('unsupported_destination', 'invalid_destination'), 'invalid_destination'],
    [offerResponse({badge: 'NONE'}), 'not_prime'],
  ] as const) {
    it(`is empty with reason ${reason} for ${JSON.stringify(answer).slice(0, 90)}`, async () => {
      const proxy = fakeProxy();
      const el = await fixture<BwpDeliveryBadge>(
        html`<bwp-delivery-badge sku="A1" .client=${proxy.client}>Ships soon</bwp-delivery-badge>`,
      );
      let errors = 0;
      el.addEventListener('bwp-error', () => errors++);
      const empty = oneEvent(el, 'bwp-empty');
      (await proxy.next()).respond(answer);
      const event = await empty;
      expect(event.detail).to.deep.equal({reason});
      expect(event.bubbles && event.composed).to.equal(true);
      expect(el.state).to.equal('empty');
      expect(el.diagnostics).to.deep.equal({state: 'empty', reason, hint: HINTS[reason]});
      expect(el.shadowRoot!.querySelector('[part="badge"]')).to.equal(null);
      expect(errors).to.equal(0);
    });
  }

  it('keeps error for failures to get an answer, with the reason in the event and the diagnostics', async () => {
    const proxy = fakeProxy();
    const el = await fixture<BwpDeliveryBadge>(
      html`<bwp-delivery-badge sku="A1" .client=${proxy.client}></bwp-delivery-badge>`,
    );
    const failed = oneEvent(el, 'bwp-error');
    (await proxy.next()).respond(refusal('shopper_token_expired'));
    expect((await failed).detail).to.deep.equal({code: 'shopper_token_expired', reason: 'sign_in_required'});
    expect(el.diagnostics.state).to.equal('error');
    expect(el.diagnostics.reason).to.equal('sign_in_required');
  });

  it('says loading while it asks, prime_offer once shown, and no_product without sku or product-id', async () => {
    const proxy = fakeProxy();
    const el = await fixture<BwpDeliveryBadge>(
      html`<bwp-delivery-badge sku="A1" .client=${proxy.client}></bwp-delivery-badge>`,
    );
    expect(el.diagnostics).to.include({state: 'loading', reason: 'loading'});
    (await proxy.next()).respond(offerResponse());
    await whenState(el, 'ready');
    expect(el.diagnostics).to.include({state: 'ready', reason: 'prime_offer'});
    el.sku = '';
    await el.updateComplete;
    expect(el.diagnostics).to.deep.equal({state: 'empty', reason: 'no_product', hint: HINTS.no_product});
  });

  it('has a hint for every reason, and every reason belongs to one state', () => {
    const all = Object.values(REASONS).flat();
    expect(new Set(all).size).to.equal(all.length);
    expect(Object.keys(HINTS).sort()).to.deep.equal([...all].sort());
    for (const reason of all) expect(HINTS[reason]).to.match(/\w.*\.$/);
  });

  it('shows nothing Prime at a quantity above the stock, and recovers when the quantity comes back down', async () => {
    const proxy = fakeProxy();
    const el = await fixture<BwpOfferSummary>(
      html`<bwp-offer-summary sku="VINYL" quantity="1" .client=${proxy.client}></bwp-offer-summary>`,
    );
    (await proxy.next()).respond(offerResponse({message: 'Get it as soon as Friday, Dec 4'}));
    await whenState(el, 'ready');
    el.quantity = 4;
    const asked = await proxy.next();
    expect(
      (asked.body as {variables: {lineItems: Array<{amount: {value: number}}>}}).variables.lineItems[0]!
        .amount.value,
    ).to.equal(4);
    asked.respond(refusal('not_eligible', 'quantity_unavailable'));
    await whenState(el, 'empty');
    expect(el.diagnostics.reason).to.equal('quantity_unavailable');
    expect(el.shadowRoot!.querySelector('[part="badge"]')).to.equal(null);
    expect(el.shadowRoot!.querySelector('[part="delivery"]')).to.equal(null);
    el.quantity = 2;
    (await proxy.next()).respond(offerResponse({message: 'Get it as soon as Friday, Dec 4'}));
    await whenState(el, 'ready');
    expect(el.shadowRoot!.querySelector('[part="delivery"]')!.textContent).to.equal(
      'Get it as soon as Friday, Dec 4',
    );
    expect(el.diagnostics.reason).to.equal('prime_offer');
  });
});
