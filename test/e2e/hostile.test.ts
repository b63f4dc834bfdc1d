// Hostile content in Chromium: an XSS corpus in every text field the API returns is shown as text, creates no
// element, runs nothing and adds no URL.
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import type {Browser, Page} from 'playwright-core';
import {upstreamInputs} from '../server/upstream-inputs.ts';
import {launchChromium} from './browser.ts';
import {settled, startStack, TAGS, watchPage, type Stack} from './faults-stack.ts';

/** Every payload that runs sets this flag (or makes a request, or logs an error: both are caught too). */
const FLAG = 'window.__xss=1';

// OWASP filter-evasion style: tags, handlers, URLs, entities, escapes, template syntaxes, bidi, length.
const CORPUS = [
  `<script>${FLAG}</script>`,
  `<img src=x onerror="${FLAG}">`,
  `<svg onload=${FLAG}>`,
  `<svg><script>${FLAG}</script></svg>`,
  `"><img src=x onerror=${FLAG}>`,
  `'><script>${FLAG}</script>`,
  `javascript:${FLAG}`,
  `<a href="javascript:${FLAG}">Get it Tomorrow</a>`,
  `<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>`,
  `<details open ontoggle=${FLAG}>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${FLAG}>`,
  `<!--<img src="--><img src=x onerror=${FLAG}//">`,
  `<<script>script>${FLAG}<</script>/script>`,
  `&lt;script&gt;${FLAG}&lt;/script&gt;`,
  `&#60;img src=x onerror=${FLAG}&#62;`,
  `\\u003cimg src=x onerror=${FLAG}\\u003e`,
  `%3Cscript%3E${FLAG}%3C/script%3E`,
  `\${${FLAG}}{{constructor.constructor('${FLAG}')()}}`,
  `<!--?lit$123456$--><template><script>${FLAG}</script></template>`,
  `\u202e<img src=x onerror=${FLAG}>\u202c tomorrow`,
  `<style>@import 'javascript:${FLAG}';*{background:url(x)}</style>`,
  `<b>${'A'.repeat(100_000)}</b><img src=x onerror=${FLAG}>`,
];

const BENIGN = 'Get it as soon as Tomorrow, Nov 24';
/** The quantity a page asks for says which text its answers carry: 1 the benign one, n + 2 payload n. */
const textFor = (quantity: number) => (quantity === 1 ? BENIGN : CORPUS[quantity - 2]!);

/** The quantity of the first line an upstream request asks for. */
async function quantityOf(request: Request): Promise<number> {
  const variables = upstreamInputs((await request.clone().json()) as {query: string});
  return Number((variables.lineItems ?? variables.products)?.[0]?.amount?.value ?? 1);
}

/** Keys whose values steer the data, not text: kept so the elements still render the hostile text. */
const KEEP = new Set(['__typename', 'badge', 'expiresAt', 'deliverySpeed', 'unit', 'resolutionTypes']);

/** Every string the API returns (promises, titles, descriptions, ids, locales, currency codes) replaced. */
function poison(value: unknown, payload: string, key = ''): unknown {
  if (typeof value === 'string') return KEEP.has(key) ? value : payload;
  if (Array.isArray(value))
    return key === 'resolutionTypes' ? value : value.map((v) => poison(v, payload, key));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, payload, k)]));
  return value;
}

const ELEMENTS = ['badge', 'summary', 'checkout'] as const;
const URL_ATTRIBUTES = [
  'href',
  'src',
  'srcset',
  'srcdoc',
  'action',
  'formaction',
  'poster',
  'data',
  'xlink:href',
  'background',
];

/** What the elements drew: element counts and attribute names per shadow root, and the delivery texts. */
function inventory(page: Page) {
  return page.evaluate((tags) => {
    const shadows = tags.map((tag) => {
      const root = document.querySelector(tag)!.shadowRoot!;
      const all = Array.from(root.querySelectorAll('*'));
      return {
        tag,
        elements: all.length,
        names: [...new Set(all.map((el) => el.localName))].sort(),
        attributes: [...new Set(all.flatMap((el) => el.getAttributeNames()))].sort(),
        urls: all.flatMap((el) =>
          el.getAttributeNames().flatMap((name: string) => {
            const value = el.getAttribute(name) ?? '';
            // title holds text, never a URL; lang takes the API's locale only when it is a language tag.
            if (name === 'title') return [];
            return /^\s*(javascript|data|vbscript|http):/i.test(value) ? [`${el.localName}[${name}]`] : [];
          }),
        ),
        delivery: Array.from(root.querySelectorAll('[part="delivery"]')).map((el) => el.textContent),
      };
    });
    return {
      shadows,
      documentElements: document.querySelectorAll('*').length,
      flag: (window as unknown as {__xss?: unknown}).__xss,
    };
  }, Object.values(TAGS));
}

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
