// Every diagnostics reason produced for real (the sandbox as Amazon, proxies with the wrong origin list, a
// stopped proxy, an older document set) on a page whose proxies sit on other origins, with the console lines
// `debug` writes, and none without it.
import {serveStatic} from '@hono/node-server/serve-static';
import {Hono} from 'hono';
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import type {Browser, Page} from 'playwright-core';
import {HINTS, type DiagnosticReason} from '../../src/api/diagnostics.ts';
import {DOCUMENTS, PRODUCT_OFFERS} from '../../server/operations/documents.ts';
import {serveFetch, type NodeServer} from '../../server/proxy/node.ts';
import {createProxy, type ProxyOptions} from '../../server/proxy/proxy.ts';
import {createSandbox, sandboxUpstream, type SandboxOptions} from '../../server/sandbox/sandbox.ts';
import {launchChromium} from './browser.ts';
import {ADDRESS} from '../fixtures/address.ts';

const EXPIRED_SHOPPER_TOKEN = btoa(
  JSON.stringify({type: 'ACCESS_TOKEN', value: 'sandbox-mocked-test-expired-shopper-access-token'}),
);

/** A proxy in front of its own sandbox, on its own 127.0.0.1 port: another origin than the page's. */
async function startProxy(options: Partial<ProxyOptions> = {}, sandbox: SandboxOptions = {}) {
  const proxy = createProxy({...sandboxUpstream(createSandbox(sandbox)), rateLimiter: false, ...options});
  return serveFetch((request, connection) => proxy(request, {clientIp: connection.clientIp}));
}

interface Line {
  type: string;
  text: string;
}

/** What the page wrote to the console, and every fetch's credentials mode, recorded as it happens. */
async function watch(page: Page) {
  const lines: Line[] = [];
  page.on('console', (message) => lines.push({type: message.type(), text: message.text()}));
  await page.addInitScript(() => {
    const w = window as unknown as {credentials: string[]};
    w.credentials = [];
    const original = window.fetch;
    window.fetch = (input, init) => {
      w.credentials.push(init?.credentials ?? (input instanceof Request ? input.credentials : 'same-origin'));
      return original(input, init);
    };
  });
  return lines;
}

/** Waits until no element of the page is loading, then gives each element's state and reason by id. */
async function settled(page: Page): Promise<Record<string, {state: string; reason: string; hint: string}>> {
  await page.waitForFunction(
    () =>
      Array.from(document.querySelectorAll('[id^="e-"]')).every(
        (el) => el.hasAttribute('state') && el.getAttribute('state') !== 'loading',
      ),
    undefined,
    {timeout: 20_000},
  );
  return page.$$eval('[id^="e-"]', (els) =>
    Object.fromEntries(
      els.map((el) => [
        el.id,
        (el as unknown as {diagnostics: {state: string; reason: string; hint: string}}).diagnostics,
      ]),
    ),
  );
}

/** A merchant page (markup in its body) loading the built bundle; `script` runs before anything is defined. */
const hostPage = (body: string, {head = '', script = ''} = {}) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">${head}<title>Merchant page</title></head>
<body>${body}
<script type="module">
  import {setShopperToken} from '/dist/cdn/bwp-elements.js';
  ${script}
  for (const el of document.querySelectorAll('bwp-checkout-offers[data-address]'))
    el.shippingAddress = ${JSON.stringify(ADDRESS)};
</script></body></html>`;

describe('diagnostics: every reason for real, across origins, in the console only with debug', () => {
  let browser: Browser;
  /** The page's origin: the bundle, the pages, and /edge/ (a reverse proxy in front of the refusing proxy). */
  let site: NodeServer;
  let allowing: NodeServer;
  let refusing: NodeServer;
  let older: NodeServer;
  let throttling: NodeServer;
  let failing: NodeServer;
  let stopped: string;
  const pages = new Map<string, string>();

  before(async () => {
    const app = new Hono();
    app.get('/page/:name', (c) => c.html(pages.get(c.req.param('name')) ?? ''));
    // A reverse proxy on the page's own origin that does not tell the proxy which origin it serves
    // (BWP_PUBLIC_ORIGIN unset): the page reads the proxy's 403 as a same-origin answer.
    app.all('/edge/*', (c) => {
      const url = new URL(c.req.path.slice('/edge'.length), refusing.url);
      const headers = new Headers(c.req.raw.headers);
      headers.delete('host');
      return fetch(url, {method: c.req.method, headers, body: c.req.raw.body, duplex: 'half'} as RequestInit);
    });
    app.use('/dist/*', serveStatic({root: './'}));
    site = await serveFetch(app.fetch);
    allowing = await startProxy({allowedOrigins: [site.url]});
    refusing = await startProxy({allowedOrigins: ['https://shop.example']});
    // A proxy deployed before the bundle: it knows ProductOffers only under an older id.
    older = await startProxy({
      allowedOrigins: [site.url],
      documents: new Map(
        [...DOCUMENTS]
          .filter(([id]) => id !== PRODUCT_OFFERS.id)
          .concat([['ProductOffers.v0', {...PRODUCT_OFFERS, id: 'ProductOffers.v0'}]]),
      ),
    });
    throttling = await startProxy({allowedOrigins: [site.url]}, {faults: {throttle: true}});
    failing = await startProxy({allowedOrigins: [site.url], maxAttempts: 1}, {faults: {status: 503}});
    const gone = await startProxy();
    stopped = gone.url;
    await gone.close();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    for (const server of [site, allowing, refusing, older, throttling, failing]) await server?.close();
  });

  const endpoint = (server: NodeServer | string) =>
    `${typeof server === 'string' ? server : server.url}/bwp/graphql`;

  /** The elements of one page: id, markup (debug added when asked), and the reason it must end with. */
  function elements(debug: boolean): Array<[string, string, DiagnosticReason]> {
    const d = debug ? ' debug' : '';
    const badge = (id: string, attributes: string, server: NodeServer | string = allowing) =>
      `<bwp-delivery-badge id="${id}"${d} endpoint="${endpoint(server)}" ${attributes}></bwp-delivery-badge>`;
    return [
      ['e-prime', badge('e-prime', 'sku="example-sku-1"'), 'prime_offer'],
      ['e-none', badge('e-none', ''), 'no_product'],
      ['e-not-prime', badge('e-not-prime', 'sku="example-sku-2"'), 'not_prime'],
      ['e-stock', badge('e-stock', 'sku="GRINDER-ESPRESSO"'), 'out_of_stock'],
      ['e-quantity', badge('e-quantity', 'sku="TEE-NAVY-S" quantity="41"'), 'quantity_unavailable'],
      ['e-unknown', badge('e-unknown', 'sku="NO-SUCH-SKU"'), 'unknown_product'],
      ['e-zip', badge('e-zip', 'sku="example-sku-1" postal-code="00901"'), 'invalid_destination'],
      ['e-bad-zip', badge('e-bad-zip', 'sku="example-sku-1" postal-code="981"'), 'invalid_postal_code'],
      ['e-cors', badge('e-cors', 'sku="example-sku-1"', refusing), 'unreachable'],
      ['e-origin', badge('e-origin', 'sku="example-sku-1"', `${site.url}/edge`), 'origin_not_allowed'],
      ['e-stopped', badge('e-stopped', 'sku="example-sku-1"', stopped), 'unreachable'],
      ['e-older', badge('e-older', 'sku="example-sku-1"', older), 'unknown_document'],
      ['e-throttled', badge('e-throttled', 'sku="example-sku-1"', throttling), 'rate_limited'],
      ['e-upstream', badge('e-upstream', 'sku="example-sku-1"', failing), 'unavailable'],
      [
        'e-checkout',
        `<bwp-checkout-offers id="e-checkout"${d} data-address endpoint="${endpoint(allowing)}"><bwp-line-item sku="example-sku-1"></bwp-line-item></bwp-checkout-offers>`,
        'offers_shown',
      ],
      [
        'e-no-address',
        `<bwp-checkout-offers id="e-no-address"${d} endpoint="${endpoint(allowing)}"><bwp-line-item sku="example-sku-1"></bwp-line-item></bwp-checkout-offers>`,
        'no_address',
      ],
      [
        'e-bad-line',
        `<bwp-checkout-offers id="e-bad-line"${d} data-address endpoint="${endpoint(allowing)}"><bwp-line-item sku="example-sku-1" quantity="0"></bwp-line-item></bwp-checkout-offers>`,
        'invalid_request',
      ],
    ];
  }

  async function open(name: string, html: string) {
    pages.set(name, html);
    const page = await browser.newPage();
    const lines = await watch(page);
    await page.goto(`${site.url}/page/${name}`);
    return {page, lines};
  }

  it('gives each element its reason, and with debug writes each explanation once (info or warn, never error)', async () => {
    const list = elements(true);
    const {page, lines} = await open('debug', hostPage(list.map(([, markup]) => markup).join('\n')));
    const found = await settled(page);
    for (const [id, , reason] of list) {
      assert.equal(found[id]?.reason, reason, `${id}: ${JSON.stringify(found[id])}`);
      assert.equal(found[id]?.hint, HINTS[reason]);
    }
    for (const [id, markup, reason] of list) {
      const tag = markup.slice(1, markup.indexOf(' '));
      const line = `<${tag}> ${found[id]!.state}: ${reason}. ${HINTS[reason]}`;
      const written = lines.filter((l) => l.text.startsWith(line));
      // Each change once: as many lines as elements ending with this reason, however often they rendered.
      const alike = list.filter(([, m, r]) => r === reason && m.startsWith(`<${tag}`)).length;
      assert.equal(written.length, alike, `console lines for ${id}: ${line}`);
      const problem = found[id]!.state === 'empty' || found[id]!.state === 'error';
      assert.deepEqual(new Set(written.map((l) => l.type)), new Set([problem ? 'warning' : 'info']));
    }
    const ours = lines.filter((l) => l.text.startsWith('<bwp-'));
    assert.deepEqual(
      ours.filter((l) => l.type === 'error'),
      [],
    );
    // The explanation of the cross-origin refusal says that CORS looks like an unreachable proxy.
    assert.match(found['e-cors']!.hint, /CORS/);
    await page.close();
  });

  it('writes nothing to the console without debug, and the same lines with <meta name="bwp-debug" content="on">', async () => {
    const list = elements(false);
    const markup = list.map(([, m]) => m).join('\n');
    const quiet = await open('quiet', hostPage(markup));
    const found = await settled(quiet.page);
    for (const [id, , reason] of list) assert.equal(found[id]?.reason, reason, id);
    assert.deepEqual(
      quiet.lines.filter((l) => l.text.startsWith('<bwp-') || l.type === 'info' || l.type === 'warning'),
      [],
    );
    await quiet.page.close();

    const meta = await open('meta', hostPage(markup, {head: '<meta name="bwp-debug" content="on">'}));
    await settled(meta.page);
    const written = meta.lines.filter((l) => l.text.startsWith('<bwp-'));
    for (const [, , reason] of list)
      assert.ok(
        written.some((l) => l.text.includes(`: ${reason}. `)),
        `no line for ${reason}`,
      );
    await meta.page.close();
  });

  it('says the sign-in expired for an expired shopper token, and never writes the token', async () => {
    const {page, lines} = await open(
      'expired',
      hostPage(
        `<bwp-delivery-badge id="e-signed" debug endpoint="${endpoint(allowing)}" sku="example-sku-1"></bwp-delivery-badge>`,
        {script: `setShopperToken(${JSON.stringify(EXPIRED_SHOPPER_TOKEN)});`},
      ),
    );
    const found = await settled(page);
    assert.equal(found['e-signed']!.reason, 'sign_in_required');
    const written = lines.filter((l) => l.text.startsWith('<bwp-'));
    assert.ok(written.some((l) => l.type === 'warning' && l.text.includes('sign_in_required')));
    for (const line of written) assert.ok(!line.text.includes(EXPIRED_SHOPPER_TOKEN));
    await page.close();
  });

  it('talks to a proxy on another origin without credentials: shown when allowed, refused by CORS when not', async () => {
    const {page} = await open(
      'cross-origin',
      hostPage(
        `<bwp-delivery-badge id="e-allowed" endpoint="${endpoint(allowing)}" sku="example-sku-1"></bwp-delivery-badge>
         <bwp-delivery-badge id="e-refused" endpoint="${endpoint(refusing)}" sku="example-sku-1"></bwp-delivery-badge>`,
      ),
    );
    const found = await settled(page);
    assert.notEqual(new URL(allowing.url).origin, new URL(site.url).origin);
    assert.deepEqual(found['e-allowed'], {state: 'ready', reason: 'prime_offer', hint: HINTS.prime_offer});
    assert.equal(found['e-refused']!.reason, 'unreachable');
    const modes = await page.evaluate(() => (window as unknown as {credentials: string[]}).credentials);
    assert.ok(modes.length >= 2, `fetches: ${modes.join()}`);
    for (const mode of modes) assert.ok(mode === 'omit' || mode === 'same-origin', `credentials: ${mode}`);
    // Why it matters: the proxy allows no credentials, so a request that includes them is refused by CORS.
    const included = await page.evaluate(
      (url) =>
        fetch(url, {
          method: 'POST',
          credentials: 'include',
          headers: {'content-type': 'application/json'},
          body: JSON.stringify({documentId: 'ProductOffers.v1', variables: {}}),
        }).then(
          () => 'answered',
          (error: Error) => error.name,
        ),
      endpoint(allowing),
    );
    assert.equal(included, 'TypeError');
    await page.close();
  });
});
