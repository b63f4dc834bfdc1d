// The pictures of the docs: each element in each state (loading, ready, empty, error), light and dark,
// written to docs/images/<element>-<state>-<scheme>.png from the built bundle, the real proxy and the
// sandbox. The clock is fixed on both sides so that Amazon's dates, and so the files, stay the same.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {after, before, describe, it} from 'node:test';
import type {Browser, Route} from 'playwright-core';
import {startDevServer, type DevServer} from '../../server/dev/app.ts';
import {launchChromium, pageProblems, until} from './browser.ts';
import {ADDRESS} from '../fixtures/address.ts';

// A Friday afternoon in Seattle before the cut-off: the sandbox's dates and the browser's expiry checks agree.
const NOW = new Date('2026-11-20T18:00:00Z');
const STATES = ['loading', 'ready', 'empty', 'error'] as const;
const SCHEMES = ['light', 'dark'] as const;
const TAGS = ['bwp-delivery-badge', 'bwp-offer-summary', 'bwp-checkout-offers'];
type State = (typeof STATES)[number];

/** The products of each state: Prime ones for ready (and for loading and error, which never answer). */
const PRODUCTS: Record<State, {product: string; cart: string[]}> = {
  loading: {product: 'TEE-NAVY-M', cart: ['example-sku-1', 'TEE-NAVY-M']},
  ready: {product: 'TEE-NAVY-M', cart: ['example-sku-1', 'TEE-NAVY-M']},
  // Not Prime for the product elements; the checkout is empty with no line to ask about.
  empty: {product: 'TEE-CORAL-M', cart: []},
  error: {product: 'TEE-NAVY-M', cart: ['example-sku-1', 'TEE-NAVY-M']},
};

function statePage(state: State): string {
  const {product, cart} = PRODUCTS[state];
  const lines = cart.map((sku) => `<bwp-line-item sku="${sku}"></bwp-line-item>`).join('');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="color-scheme" content="light dark" />
    <meta name="bwp-endpoint" content="/bwp/graphql" />
    <style>
      body { margin: 0; padding: 8px; background: Canvas; color: CanvasText; font: 16px/1.4 system-ui, sans-serif; }
      .frame { box-sizing: border-box; inline-size: 380px; padding: 12px 16px; margin-block-end: 8px; }
      .frame.wide { inline-size: 520px; }
    </style>
    <script type="module" src="/dist/cdn/bwp-elements.js"></script>
  </head>
  <body>
    <div class="frame" data-shot="delivery-badge">
      <bwp-delivery-badge sku="${product}">Free shipping on orders over $25</bwp-delivery-badge>
    </div>
    <div class="frame" data-shot="offer-summary">
      <bwp-offer-summary sku="${product}">Free shipping on orders over $25</bwp-offer-summary>
    </div>
    <div class="frame wide" data-shot="checkout-offers">
      <bwp-checkout-offers>${lines}</bwp-checkout-offers>
    </div>
    <script type="module">
      document.querySelector('bwp-checkout-offers').shippingAddress = ${JSON.stringify(ADDRESS)};
    </script>
  </body>
</html>`;
}

describe('screenshots of every element in every state, light and dark (docs/images)', () => {
  let dev: DevServer;
  let browser: Browser;
  // The sandbox answers as Amazon does when it is down (HTTP 500, InternalServerError) while true.
  let failing = false;

  before(async () => {
    dev = await startDevServer({
      port: 0,
      sandbox: {now: () => NOW, faults: () => (failing ? {status: 500, on: 'graphql'} : undefined)},
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await dev?.close();
  });

  for (const state of STATES)
    it(`saves the three elements ${state}, in light and dark colour schemes`, async () => {
      failing = state === 'error';
      const written = new Map<string, Buffer>();
      for (const scheme of SCHEMES) {
        const page = await browser.newPage({colorScheme: scheme, viewport: {width: 600, height: 900}});
        const problems = pageProblems(page);
        await page.clock.setFixedTime(NOW);
        const held: Route[] = [];
        // Loading: the proxy's answer is held until the pictures are taken, so nothing settles.
        if (state === 'loading') await page.route('**/bwp/graphql', (route) => void held.push(route));
        await page.route(`${dev.url}/states.html`, (route) =>
          route.fulfill({contentType: 'text/html', body: statePage(state)}),
        );
        try {
          await page.goto(`${dev.url}/states.html`);
          await page.waitForFunction(
            ({tags, expected}) =>
              tags.every(
                (t) => customElements.get(t) && document.querySelector(t)?.getAttribute('state') === expected,
              ),
            {tags: TAGS, expected: state},
            {timeout: 20_000},
          );
          // Loading is shown as the request leaves; it reaches the route a moment later.
          if (state === 'loading') await until(() => held.length > 0, 'the elements to ask the proxy');
          for (const shot of ['delivery-badge', 'offer-summary', 'checkout-offers']) {
            const path = `docs/images/${shot}-${state}-${scheme}.png`;
            await page.locator(`[data-shot="${shot}"]`).screenshot({path, animations: 'disabled'});
            written.set(path, readFileSync(path));
          }
          // Each picture shows the state it is named after: nothing moved on while they were taken.
          assert.deepEqual(
            await page.$$eval(TAGS.join(','), (els) => els.map((el) => el.getAttribute('state'))),
            [state, state, state],
          );
          assert.deepEqual(problems, []);
        } finally {
          await Promise.all(held.map((route) => route.abort().catch(() => {})));
          await page.close();
        }
      }
      const ready = (shot: string, scheme: string) =>
        written.get(`docs/images/${shot}-${state}-${scheme}.png`);
      if (state === 'ready')
        for (const shot of ['delivery-badge', 'offer-summary', 'checkout-offers'])
          assert.ok(
            !ready(shot, 'light')!.equals(ready(shot, 'dark')!),
            `${shot} follows the dark colour scheme`,
          );
      assert.equal(written.size, 6);
    });
});
