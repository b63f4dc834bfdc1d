import {expect, fixture, html, oneEvent} from '@open-wc/testing';
import {sendKeys} from '@web/test-runner-commands';
import '../../src/components/delivery-badge/define.js';
import '../../src/components/offer-summary/define.js';
import type {BwpDeliveryBadge} from '../../src/components/delivery-badge/delivery-badge.js';
import type {BwpOfferSummary} from '../../src/components/offer-summary/offer-summary.js';
import {pageLocation, POSTAL_CODE_STORAGE_KEY, setPostalCode} from '../../src/api/location.js';
import {setPostalCode as setPostalCodeFromIndex} from '../../src/index.js';
import {fakeProxy, offerResponse, whenState, type Call} from './fake-proxy.js';

type Operation = {variables: {location?: unknown; lineItems: Array<{product: {identifier: {sku: string}}}>}};
const operations = (call: Call) => (Array.isArray(call.body) ? call.body : [call.body]) as Operation[];
const at = (postalCode: string) => ({shippingAddress: {postalCode, countryCode: 'US'}});
const answer = (call: Call, message = 'Get it as soon as Friday, Dec 4') =>
  call.respond(
    Array.isArray(call.body) ? call.body.map(() => offerResponse({message})) : offerResponse({message}),
  );

afterEach(() => {
  setPostalCode(null);
  pageLocation.restored = false;
  localStorage.removeItem(POSTAL_CODE_STORAGE_KEY);
});

describe('a postal code to refine the promise', () => {
  it('asks for the postal-code attribute: an address with country US and that postal code only', async () => {
    const proxy = fakeProxy();
    await fixture(
      html`<bwp-delivery-badge sku="A1" postal-code="10001" .client=${proxy.client}></bwp-delivery-badge>`,
    );
    const call = await proxy.next();
    expect(operations(call)[0]!.variables.location).to.deep.equal(at('10001'));
  });

  it('asks without a location (the proxy sets the IP) when no postal code is given', async () => {
    const proxy = fakeProxy();
    await fixture(html`<bwp-delivery-badge sku="A1" .client=${proxy.client}></bwp-delivery-badge>`);
    expect(operations(await proxy.next())[0]!.variables).to.not.have.property('location');
  });

  it('asks nothing for a postal-code attribute that is not a US ZIP code, and says why', async () => {
    const proxy = fakeProxy();
    const el = await fixture<BwpDeliveryBadge>(
      html`<bwp-delivery-badge sku="A1" postal-code="9810" .client=${proxy.client}
        >Ships soon</bwp-delivery-badge
      >`,
    );
    await el.updateComplete;
    expect(el.state).to.equal('error');
    expect(el.diagnostics.reason).to.equal('invalid_postal_code');
    expect(el.shadowRoot!.querySelector('slot')).to.not.equal(null);
    const failed = oneEvent(el, 'bwp-error');
    el.postalCode = 'ABCDE';
    expect((await failed).detail).to.deep.equal({code: 'invalid_request', reason: 'invalid_postal_code'});
    el.postalCode = '98109-1234';
    expect(operations(await proxy.next())[0]!.variables.location).to.deep.equal(at('98109-1234'));
    expect(proxy.calls.length).to.equal(1);
  });

  it('refetches every element without its own postal code, in one request, on one setPostalCode call', async () => {
    const proxy = fakeProxy();
    const grid = await fixture<HTMLElement>(
      html`<ul>
        ${['A1', 'A2', 'A3', 'A4', 'A5', 'A6'].map(
          (sku) =>
            html`<li>
              <bwp-delivery-badge variant="compact" sku=${sku} .client=${proxy.client}></bwp-delivery-badge>
            </li>`,
        )}
        <li>
          <bwp-delivery-badge sku="OWN" postal-code="60601" .client=${proxy.client}></bwp-delivery-badge>
        </li>
      </ul>`,
    );
    answer(await proxy.next());
    const badges = [...grid.querySelectorAll('bwp-delivery-badge')];
    await Promise.all(badges.map((b) => whenState(b, 'ready')));
    expect(proxy.calls.length).to.equal(1);

    setPostalCode('98109');
    const call = await proxy.next();
    expect(operations(call).map((o) => o.variables.lineItems[0]!.product.identifier.sku)).to.deep.equal([
      'A1',
      'A2',
      'A3',
      'A4',
      'A5',
      'A6',
    ]);
    for (const operation of operations(call)) expect(operation.variables.location).to.deep.equal(at('98109'));
    answer(call, 'Get it as soon as Saturday, Dec 5');
    await Promise.all(badges.map((b) => whenState(b, 'ready')));
    expect(proxy.calls.length).to.equal(2);
    expect(badges.at(-1)!.shadowRoot!.querySelector('[part="delivery"]')!.textContent).to.equal(
      'Get it as soon as Friday, Dec 4',
    );
  });

  it('refuses a setPostalCode value that is not a US ZIP code with a stable code, and changes nothing', () => {
    expect(setPostalCodeFromIndex).to.equal(setPostalCode);
    setPostalCode('98109');
    for (const bad of ['9810', 'ABCDE', '98109-12', '98109 1234', ' ']) {
      let error: unknown;
      try {
        setPostalCode(bad);
      } catch (e) {
        error = e;
      }
      expect((error as {code?: string}).code, bad).to.equal('invalid_postal_code');
    }
    expect(pageLocation.postalCode).to.equal('98109');
  });

  it('restores a remembered postal code only with remember-postal-code, before the first request', async () => {
    localStorage.setItem(POSTAL_CODE_STORAGE_KEY, '30301');
    const plain = fakeProxy();
    await fixture(html`<bwp-delivery-badge sku="A1" .client=${plain.client}></bwp-delivery-badge>`);
    expect(operations(await plain.next())[0]!.variables).to.not.have.property('location');

    const remembering = fakeProxy();
    await fixture(
      html`<bwp-delivery-badge
        sku="A1"
        remember-postal-code
        .client=${remembering.client}
      ></bwp-delivery-badge>`,
    );
    const call = await remembering.next();
    expect(operations(call)[0]!.variables.location).to.deep.equal(at('30301'));
    expect(remembering.calls.length).to.equal(1);
  });
});

describe('<bwp-offer-summary location-control>', () => {
  async function summary(attrs = '') {
    const proxy = fakeProxy();
    const el = await fixture<BwpOfferSummary>(
      `<bwp-offer-summary sku="A1" location-control ${attrs}></bwp-offer-summary>`,
    );
    el.client = proxy.client;
    answer(await proxy.next());
    await whenState(el, 'ready');
    return {el, proxy};
  }
  const $ = <T extends Element>(el: BwpOfferSummary, selector: string) =>
    el.shadowRoot!.querySelector<T>(selector);
  /** Tab until the shadow root's focused element matches. */
  async function tabTo(el: BwpOfferSummary, selector: string) {
    for (let i = 0; i < 10 && !el.shadowRoot!.activeElement?.matches(selector); i++)
      await sendKeys({press: 'Tab'});
    expect(el.shadowRoot!.activeElement?.matches(selector), selector).to.equal(true);
  }

  it('is off by default', async () => {
    const proxy = fakeProxy();
    const el = await fixture<BwpOfferSummary>(
      html`<bwp-offer-summary sku="A1" .client=${proxy.client}></bwp-offer-summary>`,
    );
    answer(await proxy.next());
    await whenState(el, 'ready');
    expect($(el, '[part="location"]')).to.equal(null);
  });

  it('brings its own styles with its code: the announcement is heard, not seen', async () => {
    const {el} = await summary();
    const announcement = $(el, '[role="status"] .visually-hidden')!;
    expect(getComputedStyle(announcement).position).to.equal('absolute');
    expect(announcement.getBoundingClientRect().width).to.be.at.most(1);
  });

  it('changes the postal code by keyboard alone, with an accessible name, and announces it politely', async function () {
    // Three accessibility audits and a dozen driver round trips: seconds in WebKit on a busy machine.
    this.timeout(20000);
    const {el, proxy} = await summary();
    expect($(el, '[part="location"]')!.textContent).to.contain('Delivering to your area');
    await expect(el).to.be.accessible();
    await tabTo(el, 'button.change');
    expect($(el, 'button.change')!.getAttribute('aria-label')).to.equal('Enter ZIP code for delivery');
    await sendKeys({press: 'Enter'});
    await el.updateComplete;
    const input = $<HTMLInputElement>(el, 'input')!;
    expect(el.shadowRoot!.activeElement).to.equal(input);
    expect(input.labels![0]!.textContent).to.equal('Delivery ZIP code');
    await expect(el).to.be.accessible();
    // No digit twice in a row: WebKitWebDriver types a character that repeats the one before it only once
    // (it sees that key as still down), so "10001" would arrive as "101".
    await sendKeys({type: '98109'});
    expect(input.value).to.equal('98109');
    await sendKeys({press: 'Enter'});
    const call = await proxy.next();
    expect(operations(call)[0]!.variables.location).to.deep.equal(at('98109'));
    expect(pageLocation.postalCode).to.equal('98109');
    answer(call, 'Get it as soon as Monday, Dec 7');
    await whenState(el, 'ready');
    expect($(el, '[part="location"]')!.textContent).to.contain('Delivering to 98109');
    expect(el.shadowRoot!.activeElement).to.equal($(el, 'button.change'));
    const status = $(el, '[role="status"]')!;
    expect(status.textContent).to.contain('98109');
    expect(localStorage.getItem(POSTAL_CODE_STORAGE_KEY)).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('checks the ZIP code before any request and says what is wrong', async () => {
    const {el, proxy} = await summary();
    $<HTMLButtonElement>(el, 'button.change')!.click();
    await el.updateComplete;
    const input = $<HTMLInputElement>(el, 'input')!;
    input.focus();
    await sendKeys({type: '981'});
    await sendKeys({press: 'Enter'});
    await el.updateComplete;
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect($(el, '#zip-hint')!.textContent).to.contain('5-digit ZIP code');
    expect(el.shadowRoot!.activeElement).to.equal(input);
    expect(proxy.calls.length).to.equal(1);
    await expect(el).to.be.accessible();
    await sendKeys({press: 'Escape'});
    await el.updateComplete;
    expect($(el, 'input')).to.equal(null);
    expect(el.shadowRoot!.activeElement).to.equal($(el, 'button.change'));
  });

  it('says "Buy with Prime doesn\'t deliver to this ZIP code" for a territory ZIP code', async () => {
    const {el, proxy} = await summary();
    $<HTMLButtonElement>(el, 'button.change')!.click();
    await el.updateComplete;
    $<HTMLInputElement>(el, 'input')!.value = '00901';
    $<HTMLButtonElement>(el, 'button[type="submit"]')!.click();
    (await proxy.next()).respond({
      data: null,
      errors: [{message: 'no', extensions: {code: 'unsupported_destination', reason: 'invalid_destination'}}],
    });
    await whenState(el, 'empty');
    expect(el.diagnostics.reason).to.equal('invalid_destination');
    expect($(el, '[role="status"]')!.textContent).to.contain(
      "Buy with Prime doesn't deliver to this ZIP code",
    );
    expect($(el, '[part="badge"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('keeps the postal code in localStorage only with remember-postal-code', async () => {
    const {el} = await summary('remember-postal-code');
    $<HTMLButtonElement>(el, 'button.change')!.click();
    await el.updateComplete;
    $<HTMLInputElement>(el, 'input')!.value = '60601';
    $<HTMLButtonElement>(el, 'button[type="submit"]')!.click();
    expect(localStorage.getItem(POSTAL_CODE_STORAGE_KEY)).to.equal('60601');
    // The shopper token is never stored, with or without the attribute.
    expect(JSON.stringify({...localStorage})).to.not.match(/token/i);
  });
});
