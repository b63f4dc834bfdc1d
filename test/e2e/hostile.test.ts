// Hostile content in Chromium: an XSS corpus in every text field the API returns is shown as text, creates no
// element, runs nothing and adds no URL.
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import type {Browser, Page} from 'playwright-core';
import {launchChromium} from './browser.ts';
import {settled, startStack, TAGS, watchPage, type Stack} from './faults-stack.ts';
import {
  BENIGN,
  CORPUS,
  ELEMENTS,
  inventoryOf,
  poison,
  quantityOf,
  textFor,
  URL_ATTRIBUTES,
} from './hostile-corpus.ts';

const inventory = (page: Page) => page.evaluate(inventoryOf, Object.values(TAGS));

// Payloads render side by side, three pages at a time; each page's answers carry its own payload.
describe(
  'hostile content: an XSS corpus in every text field is shown as text and runs nothing',
  {concurrency: 3},
  () => {
    let browser: Browser;
    let stack: Stack;
    let baseline: Awaited<ReturnType<typeof render>>;

    before(async () => {
      stack = await startStack({
        proxy: {random: () => 0},
        upstream: async (request, sandbox) => {
          if (new URL(request.url).pathname !== '/graphql') return sandbox(request);
          const text = textFor(await quantityOf(request));
          const response = await sandbox(request);
          return Response.json(poison(await response.json(), text), {status: response.status});
        },
      });
      browser = await launchChromium();
      baseline = await render(1);
    });
    after(async () => {
      await browser?.close();
      await stack?.close();
    });

    /** Loads a signed-in page with all three elements (checkout then offers a choice of delivery). */
    async function render(quantity: number) {
      const page = await browser.newPage();
      const watch = await watchPage(page);
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(stack.page([...ELEMENTS], {signedIn: true, quantity}));
      await settled(page, Object.values(TAGS));
      // The checkout's choice of delivery offers is drawn from the second (preview) answer.
      await page.locator('bwp-checkout-offers [part="option"]').nth(1).waitFor();
      const seen = await inventory(page);
      const states = await Promise.all(Object.values(TAGS).map((tag) => page.getAttribute(tag, 'state')));
      await page.close();
      return {seen, states, watch, requests};
    }

    it('renders the benign baseline: every element ready, a delivery promise in each, no URL anywhere', async () => {
      const {seen, states, watch} = baseline;
      assert.deepEqual(states, ['ready', 'ready', 'ready']);
      for (const shadow of seen.shadows) {
        assert.ok(shadow.delivery.length > 0 && shadow.delivery.every((text) => text === BENIGN), shadow.tag);
        assert.deepEqual(shadow.urls, []);
        assert.deepEqual(
          shadow.attributes.filter((name) => URL_ATTRIBUTES.includes(name) || name.startsWith('on')),
          [],
          `${shadow.tag} renders a URL or a handler attribute`,
        );
      }
      assert.deepEqual([...watch.uncaught, ...watch.consoleErrors.map((m) => m.text)], []);
    });

    for (const [index, hostile] of CORPUS.entries()) {
      const label = hostile.length > 60 ? `${hostile.slice(0, 40)}… (${hostile.length} characters)` : hostile;
      it(`shows payload ${index + 1} as text, with no new element, request or script: ${JSON.stringify(label)}`, async () => {
        const {seen, states, watch, requests} = await render(index + 2);
        const before = baseline.seen;
        assert.equal(seen.flag, undefined, 'a payload ran');
        assert.deepEqual(states, ['ready', 'ready', 'ready']);
        assert.equal(seen.documentElements, before.documentElements, 'elements appeared in the page');
        seen.shadows.forEach((shadow, i) => {
          const drawn = before.shadows[i]!;
          assert.equal(shadow.elements, drawn.elements, `${shadow.tag}: elements created from text`);
          assert.deepEqual(shadow.names, drawn.names);
          assert.deepEqual(shadow.attributes, drawn.attributes, `${shadow.tag}: new attributes`);
          assert.deepEqual(shadow.urls, [], `${shadow.tag}: a URL attribute`);
          // Amazon's text, verbatim: every character of the payload is on screen as text.
          assert.ok(
            shadow.delivery.length > 0 && shadow.delivery.every((text) => text === hostile),
            shadow.tag,
          );
        });
        // Only the page, the bundle's files and the proxy: no request for x, data: or javascript: URLs.
        const origins = requests.filter((url) => !url.startsWith(stack.url));
        assert.deepEqual(origins, []);
        assert.ok(
          requests.every((url) => /\/(host\.html\?.*|dist\/cdn\/[\w./-]+\.js|bwp\/graphql)$/.test(url)),
          requests.join('\n'),
        );
        assert.deepEqual([...watch.uncaught, ...watch.consoleErrors.map((m) => m.text)], []);
      });
    }
  },
);
