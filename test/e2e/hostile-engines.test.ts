// Hostile content in Chromium, Firefox and WebKit: every payload of the corpus, in every text field the API
// returns, is shown as text, creates no element, runs nothing and asks for no URL, in each engine.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {after, before, it} from 'node:test';
import {forEachEngine, type EnginePage} from './browser.ts';
import {startStack, TAGS} from './faults-stack.ts';
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

// The built files the loader may fetch (itself, its lazy element files and their chunks), by the manifest.
const BUILT = new Set(
  Object.keys(JSON.parse(readFileSync('dist/cdn/manifest.json', 'utf8')).files).map(
    (file) => `GET /dist/cdn/${file}`,
  ),
);

const start = () =>
  startStack({
    proxy: {random: () => 0},
    upstream: async (request, sandbox) => {
      if (new URL(request.url).pathname !== '/graphql') return sandbox(request);
      const text = textFor(await quantityOf(request));
      const response = await sandbox(request);
      return Response.json(poison(await response.json(), text), {status: response.status});
    },
  });

forEachEngine(
  'hostile content: an XSS corpus in every text field is shown as text and runs nothing',
  (stack) => {
    // One page per engine, reloaded for each payload: a WebKit session costs seconds, a navigation does not.
    let page: EnginePage;
    let baseline: Awaited<ReturnType<typeof render>>;
    before(async () => {
      page = await stack.newPage();
      baseline = await render(1);
    });
    after(() => page?.close());

    /** Loads a signed-in page with all three elements for this quantity (so this payload) and reads it back. */
    async function render(quantity: number) {
      const from = stack.requests.length;
      const url = new URL(
        `/host.html?elements=${ELEMENTS.join(',')}&quantity=${quantity}&signed-in=1`,
        stack.url,
      );
      await page.goto(url.href);
      await page.waitFor(
        'every element settled, the checkout with its options',
        (tags) =>
          tags.every((tag) => {
            const state = document.querySelector(tag)?.getAttribute('state');
            return state && state !== 'loading';
          }) &&
          document.querySelector('bwp-checkout-offers')!.shadowRoot!.querySelectorAll('[part="option"]')
            .length > 1,
        Object.values(TAGS),
      );
      const seen = await page.evaluate(inventoryOf, Object.values(TAGS));
      const states = await page.evaluate(
        (tags) => tags.map((tag) => document.querySelector(tag)!.getAttribute('state')),
        Object.values(TAGS),
      );
      return {seen, states, problems: await page.problems(), requests: stack.requests.slice(from)};
    }

    it('renders the benign baseline: every element ready, a delivery promise in each, no URL anywhere', () => {
      const {seen, states, problems} = baseline;
      assert.deepEqual(states, ['ready', 'ready', 'ready']);
      for (const shadow of seen.shadows) {
        assert.ok(shadow.delivery.length > 0 && shadow.delivery.every((text) => text === BENIGN), shadow.tag);
        assert.deepEqual(shadow.urls, []);
        assert.deepEqual(
          shadow.attributes.filter((name) => URL_ATTRIBUTES.includes(name) || name.startsWith('on')),
          [],
        );
      }
      assert.deepEqual(problems, []);
    });

    it(`shows each of the ${CORPUS.length} payloads as text, with no new element, request or script`, async () => {
      for (const [index, hostile] of CORPUS.entries()) {
        const label = `payload ${index + 1}: ${JSON.stringify(hostile.slice(0, 40))}`;
        const {seen, states, problems, requests} = await render(index + 2);
        const before = baseline.seen;
        // Classic WebDriver returns an undefined value as null.
        assert.equal(seen.flag ?? null, null, `${label} ran`);
        assert.deepEqual(states, ['ready', 'ready', 'ready'], label);
        assert.equal(
          seen.documentElements,
          before.documentElements,
          `${label}: elements appeared in the page`,
        );
        seen.shadows.forEach((shadow, i) => {
          const drawn = before.shadows[i]!;
          assert.equal(
            shadow.elements,
            drawn.elements,
            `${label}, ${shadow.tag}: elements created from text`,
          );
          assert.deepEqual(shadow.attributes, drawn.attributes, `${label}, ${shadow.tag}: new attributes`);
          assert.deepEqual(shadow.urls, [], `${label}, ${shadow.tag}: a URL attribute`);
          assert.ok(
            shadow.delivery.length > 0 && shadow.delivery.every((text) => text === hostile),
            `${label}, ${shadow.tag}`,
          );
        });
        // Only the page, the capture script, our built files and the proxy: no request for x or any other URL.
        assert.ok(
          requests.every(
            (r) =>
              BUILT.has(r) || /^(GET \/host\.html\?.*|GET \/__e2e\/capture\.js|POST \/bwp\/graphql)$/.test(r),
          ),
          `${label}: ${requests.join(', ')}`,
        );
        assert.deepEqual(problems, [], label);
      }
    });
  },
  {start},
);
