import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, it} from 'node:test';
import type {Page} from 'playwright-core';
// @ts-expect-error: plain .mjs helper shared with the build, no declarations
import {measure, withImports} from '../../scripts/sizes.mjs';
import {pageProblems, useDemoStack} from './browser.ts';

const ROOT = 'dist/cdn';
const manifest = JSON.parse(readFileSync(`${ROOT}/manifest.json`, 'utf8'));
/** An element's code as the loader imports it, with everything that imports. */
const closure = (element: string): Set<string> => withImports(ROOT, manifest.lazy[element]);
const pages = (measure(ROOT, manifest) as {pages: Array<{name: string; files: string[]}>}).pages;

/** Every CDN file the page requests, relative to dist/cdn/ (the loader by its alias). */
function cdnRequests(page: Page): string[] {
  const files: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith(`/${ROOT}/`)) files.push(path.slice(ROOT.length + 2));
  });
  return files;
}

/** Every POST to the proxy, with how many operations it carried. */
function proxyPosts(page: Page): number[] {
  const posts: number[] = [];
  page.on('request', (request) => {
    if (request.method() !== 'POST' || !request.url().endsWith('/bwp/graphql')) return;
    const body: unknown = request.postDataJSON();
    posts.push(Array.isArray(body) ? body.length : 1);
  });
  return posts;
}

describe('the one tag: bwp-elements.js loads each element when its tag appears', () => {
  const stack = useDemoStack();

  it('loads only the badge and summary code on a product page, and never the checkout', async () => {
    const page = await stack.browser.newPage();
    const problems = pageProblems(page);
    const files = cdnRequests(page);
    await page.goto(`${stack.dev.url}/`);
    await page.locator('bwp-offer-summary[state="ready"]').waitFor();
    await page.locator('bwp-delivery-badge[state="ready"]').waitFor();
    const product = pages.find((p) => p.name === 'product page')!;
    // The alias only re-exports the versioned loader, which the page then loads.
    const loaded = new Set(files.filter((f) => f !== 'bwp-elements.js'));
    // The demo's summary has location-control: the control's code, a file of its own, comes too.
    assert.deepEqual([...loaded].sort(), [...product.files, manifest.features['location-control']].sort());
    const productCode = new Set([...closure('delivery-badge'), ...closure('offer-summary')]);
    const checkoutOnly = [...closure('checkout-offers')].filter((f) => !productCode.has(f));
    assert.ok(checkoutOnly.length > 0, 'the checkout has code of its own');
    for (const file of checkoutOnly) assert.ok(!loaded.has(file), `${file} was loaded`);
    assert.equal(new Set(files).size, files.length, 'a file was requested twice');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('defines an element added to the page later, and loads nothing of an element before', async () => {
    const page = await stack.browser.newPage();
    const problems = pageProblems(page);
    const files = cdnRequests(page);
    await page.route(`${stack.dev.url}/later.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><link rel="icon" href="data:,"><script type="module" src="/dist/cdn/bwp-elements.js"></script><main></main>',
      }),
    );
    await page.goto(`${stack.dev.url}/later.html`);
    // The alias and the loader it points to: nothing else, not even Lit.
    assert.deepEqual(files, ['bwp-elements.js', manifest.entries['bwp-elements'].versioned]);
    await page.evaluate(() => {
      const card = document.createElement('section');
      card.innerHTML = '<h2>Later</h2><bwp-delivery-badge sku="example-sku-1"></bwp-delivery-badge>';
      document.querySelector('main')!.append(card);
    });
    await page.locator('bwp-delivery-badge[state="ready"]').waitFor();
    assert.match(await page.locator('bwp-delivery-badge [part="delivery"]').innerText(), /\S/);
    assert.equal(await page.evaluate(() => customElements.get('bwp-checkout-offers')), undefined);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('loads the summary’s location control only once a summary has location-control', async () => {
    const page = await stack.browser.newPage();
    const problems = pageProblems(page);
    const files = cdnRequests(page);
    await page.route(`${stack.dev.url}/summary.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><link rel="icon" href="data:,"><script type="module" src="/dist/cdn/bwp-elements.js"></script><bwp-offer-summary sku="example-sku-1"></bwp-offer-summary>',
      }),
    );
    await page.goto(`${stack.dev.url}/summary.html`);
    await page.locator('bwp-offer-summary[state="ready"]').waitFor();
    const control = manifest.features['location-control'];
    assert.ok(!files.includes(control), 'the control was loaded without location-control');
    await page.evaluate(() =>
      document.querySelector('bwp-offer-summary')!.setAttribute('location-control', ''),
    );
    await page.locator('bwp-offer-summary [part="location"] button.change').waitFor();
    assert.deepEqual(
      files.filter((f) => f === control),
      [control],
    );
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('loads an element inside a shadow root once the page calls discover() on it', async () => {
    const page = await stack.browser.newPage();
    const problems = pageProblems(page);
    const files = cdnRequests(page);
    await page.route(`${stack.dev.url}/shadow.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><link rel="icon" href="data:,"><script type="module" src="/dist/cdn/bwp-elements.js"></script><div id="host"></div>',
      }),
    );
    await page.goto(`${stack.dev.url}/shadow.html`);
    const badge = manifest.lazy['delivery-badge'];
    await page.evaluate(() => {
      const shadow = document.getElementById('host')!.attachShadow({mode: 'open'});
      shadow.innerHTML = '<bwp-delivery-badge sku="example-sku-1"></bwp-delivery-badge>';
    });
    // The observer has run (a microtask after the change, before this round trip returns): the
    // document's observer does not see into shadow roots, so nothing was imported.
    assert.ok(!files.includes(badge), 'the badge was loaded without discover()');
    await page.evaluate(async () => {
      const {discover} = (await import('/dist/cdn/bwp-elements.js' as string)) as {
        discover: (root: ParentNode) => void;
      };
      discover(document.getElementById('host')!.shadowRoot!);
    });
    await page.locator('#host bwp-delivery-badge[state="ready"]').waitFor();
    assert.ok(files.includes(badge));
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('asks the proxy for a grid’s offers while the element code is still on its way, in one request', async () => {
    const page = await stack.browser.newPage();
    const problems = pageProblems(page);
    const posts = proxyPosts(page);
    let asked!: () => void;
    const proxyAsked = new Promise<void>((resolve) => (asked = resolve));
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/bwp/graphql')) asked();
    });
    // The badge's code is held back until the proxy has been asked: were the request to wait for
    // that code, as it did before the loader, the page would never show a promise and this would time out.
    const badge = manifest.lazy['delivery-badge'];
    await page.route(`${stack.dev.url}/${ROOT}/${badge}`, async (route) => {
      await proxyAsked;
      await route.continue();
    });
    await page.goto(`${stack.dev.url}/grid.html`);
    await page.waitForFunction(
      () => {
        const all = Array.from(document.querySelectorAll('bwp-delivery-badge'));
        return all.length === 48 && all.every((el) => (el.getAttribute('state') ?? 'loading') !== 'loading');
      },
      null,
      {timeout: 15_000},
    );
    assert.ok((await page.locator('bwp-delivery-badge[state="ready"]').count()) > 0);
    // One operation per distinct product: cards of the same product share theirs.
    const products = await page.$$eval(
      'bwp-delivery-badge',
      (els) => new Set(els.map((el) => `${el.getAttribute('sku')}/${el.getAttribute('quantity')}`)).size,
    );
    assert.deepEqual(posts, [products]);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('asks the proxy for the page’s offers before it requests any element code', async () => {
    const page = await stack.browser.newPage();
    // The order the browser issues requests in: the proxy's POST, then the loader's imports of element code.
    const order: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (request.method() === 'POST' && path.endsWith('/bwp/graphql')) order.push('proxy');
      else if (path.startsWith(`/${ROOT}/v${manifest.version}/lazy/`)) order.push(path);
    });
    await page.goto(`${stack.dev.url}/grid.html`);
    await page.locator('bwp-delivery-badge[state="ready"]').first().waitFor();
    assert.equal(order[0], 'proxy', `requested in this order: ${order.join(', ')}`);
    assert.equal(order.filter((r) => r === 'proxy').length, 1, 'a grid is one request');
    await page.close();
  });

  it('sends one request for a badge and a summary of the same product, whichever arrives first', async () => {
    const page = await stack.browser.newPage();
    const posts = proxyPosts(page);
    await page.goto(`${stack.dev.url}/`);
    await page.locator('bwp-offer-summary[state="ready"]').waitFor();
    await page.locator('bwp-delivery-badge[state="ready"]').waitFor();
    assert.deepEqual(posts, [1]);
    await page.close();
  });
});
