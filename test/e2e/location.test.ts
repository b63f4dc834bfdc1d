import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import type {Browser, Page} from 'playwright-core';
import {startDevServer, type DevServer} from '../../server/dev/app.ts';
import {launchChromium, pageProblems, until} from './browser.ts';

type Logged = {variables?: {location?: unknown; lineItems?: Array<{product: {identifier: {sku?: string}}}>}};

const at = (postalCode: string) => ({shippingAddress: {postalCode, countryCode: 'US'}});

/** Every element's state is settled (not loading) and, when asked, every one of them matches `states`. */
const settled = (page: Page, selector: string) =>
  page.waitForFunction(
    (s) => {
      const all = Array.from(document.querySelectorAll(s));
      return (
        all.length > 0 &&
        all.every((el) => el.hasAttribute('state') && el.getAttribute('state') !== 'loading')
      );
    },
    selector,
    {timeout: 15_000},
  );

function proxyRequests(page: Page) {
  const bodies: unknown[][] = [];
  page.on('request', (request) => {
    if (request.method() !== 'POST' || !request.url().endsWith('/bwp/graphql')) return;
    const body = request.postDataJSON() as unknown;
    bodies.push(Array.isArray(body) ? body : [body]);
  });
  return bodies;
}

describe('the postal code reaches Amazon (demo stack, sandbox request log)', () => {
  let dev: DevServer;
  let browser: Browser;
  const upstream: Logged[] = [];

  before(async () => {
    dev = await startDevServer({port: 0, sandbox: {onGraphql: (request) => upstream.push(request)}});
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await dev?.close();
  });

  it('refetches the 48-card grid in one request on one setPostalCode call, each upstream call at that ZIP code', async () => {
    const page = await browser.newPage();
    const problems = pageProblems(page);
    const requests = proxyRequests(page);
    await page.goto(`${dev.url}/grid.html`);
    await settled(page, 'bwp-delivery-badge');
    assert.equal(requests.length, 1);
    const firstCalls = upstream.length;
    assert.ok(upstream.every((call) => !('shippingAddress' in ((call.variables?.location ?? {}) as object))));

    await page.evaluate(async () => {
      // The CDN module the page already loaded: the same instance, the page API.
      const {setPostalCode} = (await import('/dist/cdn/bwp-elements.js' as string)) as {
        setPostalCode: (zip: string | null) => void;
      };
      setPostalCode('10001');
    });
    await until(() => requests.length > 1, 'the grid to ask again');
    await settled(page, 'bwp-delivery-badge');
    assert.equal(requests.length, 2, 'one more request for the whole grid');
    const skus = await page.$$eval(
      'bwp-delivery-badge',
      (els) => new Set(els.map((el) => el.getAttribute('sku'))).size,
    );
    assert.equal(requests[1]!.length, skus);
    for (const operation of requests[1]! as Logged[])
      assert.deepEqual(operation.variables?.location, at('10001'));
    const later = upstream.slice(firstCalls);
    assert.equal(later.length, skus, 'one upstream call per product');
    for (const call of later) assert.deepEqual(call.variables?.location, at('10001'));
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('asks for the postal-code attribute, and shows a territory ZIP code refused in the summary', async () => {
    const page = await browser.newPage();
    const problems = pageProblems(page);
    await page.goto(`${dev.url}/`);
    await settled(page, 'bwp-offer-summary');
    const before = upstream.length;
    await page.locator('bwp-offer-summary').evaluate((el) => el.setAttribute('postal-code', '60601'));
    const asked60601 = () =>
      upstream
        .slice(before)
        .some((call) => JSON.stringify(call.variables?.location) === JSON.stringify(at('60601')));
    await until(asked60601, 'an upstream call at 60601');
    await settled(page, 'bwp-offer-summary');

    const beforeRemoval = upstream.length;
    await page.locator('bwp-offer-summary').evaluate((el) => el.removeAttribute('postal-code'));
    await until(() => upstream.length > beforeRemoval, 'the summary to ask again at the IP location');
    await settled(page, 'bwp-offer-summary');
    const summary = page.locator('bwp-offer-summary');
    await summary.locator('button.change').click();
    await summary.locator('input').fill('00901');
    await summary.locator('input').press('Enter');
    await page.waitForFunction(
      () => document.querySelector('bwp-offer-summary')?.getAttribute('state') === 'empty',
    );
    assert.equal(
      await summary.locator('[role="status"] .refused').innerText(),
      "Buy with Prime doesn't deliver to this ZIP code",
    );
    assert.deepEqual(upstream.at(-1)!.variables?.location, at('00901'));
    assert.deepEqual(problems, []);
    await page.close();
  });
});
