import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {readFileSync} from 'node:fs';
import {STRICT_CSP} from '../../server/dev/csp.ts';
// @ts-expect-error: plain .mjs helper, no declarations
import {pinnedTags} from '../../scripts/importmap.mjs';
import {pageProblems, useDemoStack} from './browser.ts';

describe('demo under a strict Content Security Policy', () => {
  const stack = useDemoStack();

  it('shows every element with zero securitypolicyviolation events', async () => {
    const page = await stack.browser.newPage();
    const problems = pageProblems(page);
    await page.addInitScript(() => {
      (window as unknown as {violations: string[]}).violations = [];
      document.addEventListener('securitypolicyviolation', (event) =>
        (window as unknown as {violations: string[]}).violations.push(
          `${event.violatedDirective} ${event.blockedURI}`,
        ),
      );
    });
    await page.route(`${stack.dev.url}/csp.html`, async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: {...response.headers(), 'content-security-policy': STRICT_CSP},
      });
    });
    await page.goto(`${stack.dev.url}/csp.html`);
    for (const tag of ['bwp-delivery-badge', 'bwp-offer-summary', 'bwp-checkout-offers']) {
      await page.locator(`${tag}[state="ready"]`).waitFor({timeout: 10_000});
      assert.ok(await page.locator(tag).locator('[part="delivery"]').first().isVisible(), tag);
    }
    const violations = await page.evaluate(() => (window as unknown as {violations: string[]}).violations);
    assert.deepEqual(violations, []);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('loads every file pinned by integrity (import map) under the policy, the map allowed by its hash', async () => {
    const page = await stack.browser.newPage();
    const problems = pageProblems(page);
    await page.addInitScript(() => {
      (window as unknown as {violations: string[]}).violations = [];
      document.addEventListener('securitypolicyviolation', (event) =>
        (window as unknown as {violations: string[]}).violations.push(
          `${event.violatedDirective} ${event.blockedURI}`,
        ),
      );
    });
    const manifest = JSON.parse(readFileSync('dist/cdn/manifest.json', 'utf8'));
    const {html, csp} = pinnedTags(manifest, `${stack.dev.url}/dist/cdn/`) as {html: string; csp: string};
    // The demo's strict page with the pinned tags (docs/install.md, "Load from a CDN") in place of the alias.
    const demo = readFileSync('demo/csp.html', 'utf8');
    const body = demo.replace('<script type="module" src="/dist/cdn/bwp-elements.js"></script>', html);
    assert.notEqual(body, demo);
    await page.route(`${stack.dev.url}/pinned.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        headers: {
          'content-security-policy': STRICT_CSP.replace("script-src 'self'", `script-src 'self' ${csp}`),
        },
        body,
      }),
    );
    await page.goto(`${stack.dev.url}/pinned.html`);
    for (const tag of ['bwp-delivery-badge', 'bwp-offer-summary', 'bwp-checkout-offers'])
      await page.locator(`${tag}[state="ready"]`).waitFor({timeout: 10_000});
    const violations = await page.evaluate(() => (window as unknown as {violations: string[]}).violations);
    assert.deepEqual(violations, []);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('fetches a product template’s element code beside the loader, by its modulepreload tags, pinned and once', async () => {
    const page = await stack.browser.newPage();
    const problems = pageProblems(page);
    const manifest = JSON.parse(readFileSync('dist/cdn/manifest.json', 'utf8'));
    const elements = ['delivery-badge', 'offer-summary'];
    const {html, csp} = pinnedTags(manifest, `${stack.dev.url}/dist/cdn/`, elements) as {
      html: string;
      csp: string;
    };
    const preloaded: string[] = [...new Set(elements.flatMap((name) => manifest.preload[name] as string[]))];
    assert.ok(preloaded.includes(manifest.lazy['delivery-badge']), 'the badge’s own file is preloaded');
    // The order the browser asks in: the preloaded files are asked for before the loader has run (its
    // first act is the proxy's POST), so they download beside it.
    const order: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (request.method() === 'POST' && path.endsWith('/bwp/graphql')) order.push('proxy');
      else if (path.startsWith('/dist/cdn/')) order.push(path.slice('/dist/cdn/'.length));
    });
    await page.route(`${stack.dev.url}/preloaded.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        headers: {
          'content-security-policy': STRICT_CSP.replace("script-src 'self'", `script-src 'self' ${csp}`),
        },
        body: `<!doctype html><html lang="en"><head><link rel="icon" href="/favicon.svg">${html}</head><body><bwp-delivery-badge sku="example-sku-1"></bwp-delivery-badge><bwp-offer-summary sku="example-sku-1"></bwp-offer-summary></body></html>`,
      }),
    );
    await page.goto(`${stack.dev.url}/preloaded.html`);
    await page.locator('bwp-delivery-badge[state="ready"]').waitFor({timeout: 10_000});
    await page.locator('bwp-offer-summary[state="ready"]').waitFor({timeout: 10_000});
    const proxy = order.indexOf('proxy');
    for (const file of preloaded) {
      assert.equal(order.filter((f) => f === file).length, 1, `${file} requested once: ${order.join(', ')}`);
      assert.ok(order.indexOf(file) < proxy, `${file} asked for before the loader ran: ${order.join(', ')}`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('would report a violation if the page broke the policy (the check can fail)', async () => {
    const page = await stack.browser.newPage();
    await page.route(`${stack.dev.url}/csp-broken.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        headers: {'content-security-policy': STRICT_CSP},
        body: '<!doctype html><link rel="icon" href="/favicon.svg"><div style="color: red">inline style</div>',
      }),
    );
    const violation = page.waitForEvent('console', (message) =>
      /Content Security Policy/.test(message.text()),
    );
    await page.goto(`${stack.dev.url}/csp-broken.html`);
    assert.match((await violation).text(), /style-src/);
    await page.close();
  });
});
