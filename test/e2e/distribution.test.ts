import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import type {Page} from 'playwright-core';
import {useDemoStack} from './browser.ts';

const ROOT = 'dist/cdn';
interface Manifest {
  version: string;
  /** The element code the loader imports when a tag appears. */
  lazy: Record<string, string>;
  entries: Record<string, {versioned: string; alias: string}>;
  files: Record<string, {bytes: number; integrity: string}>;
}
const manifest = (): Manifest => JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
const sha384 = (file: string) =>
  `sha384-${createHash('sha384')
    .update(readFileSync(join(ROOT, file)))
    .digest('base64')}`;
const TAGS = ['bwp-delivery-badge', 'bwp-offer-summary', 'bwp-checkout-offers'];
// The loader defines only the elements a page has: these pages have all three.
const ELEMENTS = TAGS.map((tag) => `<${tag}></${tag}>`).join('');

describe('CDN distribution (built files)', () => {
  const stack = useDemoStack();

  /** A page on the demo origin with the given head (and every element); collects errors and console warnings. */
  async function pageWith(head: string, body = ELEMENTS) {
    const page = await stack.browser.newPage();
    const errors: string[] = [];
    const warnings: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
      if (message.type() === 'warning') warnings.push(message.text());
    });
    await page.route(`${stack.dev.url}/blank.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html><head><link rel="icon" href="data:,">${head}</head><body>${body}</body></html>`,
      }),
    );
    await page.goto(`${stack.dev.url}/blank.html`);
    return {page, errors, warnings};
  }

  const definedTags = (page: Page) =>
    page.evaluate((tags) => tags.filter((tag) => customElements.get(tag) !== undefined), TAGS);

  it('lists every CDN file in manifest.json with its real sha384 integrity', () => {
    const {files, entries} = manifest();
    assert.ok(Object.keys(files).length >= 4);
    for (const [file, {integrity, bytes}] of Object.entries(files)) {
      assert.equal(integrity, sha384(file), file);
      assert.equal(bytes, readFileSync(join(ROOT, file)).length, file);
    }
    for (const file of Object.values(manifest().lazy)) assert.ok(files[file], file);
    for (const {versioned, alias} of Object.values(entries)) {
      assert.ok(files[versioned], versioned);
      assert.ok(files[alias], alias);
      assert.match(
        versioned,
        new RegExp(`^v${manifest().version.replace(/\./g, '\\.')}/.+\\.[\\w-]{8}\\.js$`),
      );
    }
  });

  /** An import map pinning the integrity of every versioned file the loader may import (docs/install.md). */
  const integrityMap = (tamper?: string) =>
    `<script type="importmap">${JSON.stringify({
      integrity: Object.fromEntries(
        Object.entries(manifest().files)
          .filter(([file]) => file.startsWith('v'))
          .map(([file, {integrity}]) => [
            `/dist/cdn/${file}`,
            file === tamper ? `sha384-${'A'.repeat(64)}` : integrity,
          ]),
      ),
    })}</script>`;

  it('loads the versioned loader with its integrity, and every file it imports with the import map’s', async () => {
    const {versioned} = manifest().entries['bwp-elements']!;
    const {page, errors} = await pageWith(
      `${integrityMap()}<script type="module" src="/dist/cdn/${versioned}" integrity="${sha384(versioned)}" crossorigin="anonymous"></script>`,
    );
    await page.waitForFunction((tags) => tags.every((tag) => customElements.get(tag)), TAGS);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('refuses a lazily loaded file whose integrity the import map pins differently', async () => {
    const {versioned} = manifest().entries['bwp-elements']!;
    const checkout = manifest().lazy['checkout-offers']!;
    const page = await stack.browser.newPage();
    const refused = page.waitForEvent('console', (message) => /integrity/i.test(message.text()));
    await page.route(`${stack.dev.url}/blank.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><link rel="icon" href="data:,">${integrityMap(checkout)}<script type="module" src="/dist/cdn/${versioned}"></script>${ELEMENTS}`,
      }),
    );
    await page.goto(`${stack.dev.url}/blank.html`);
    assert.match((await refused).text(), new RegExp(checkout.split('/').pop()!.replace(/\./g, '\\.')));
    await page.waitForFunction(() => customElements.get('bwp-offer-summary') !== undefined);
    assert.equal(await page.evaluate(() => customElements.get('bwp-checkout-offers')), undefined);
    await page.close();
  });

  it('refuses a bundle whose bytes do not match the integrity', async () => {
    const {versioned} = manifest().entries['bwp-elements']!;
    const page = await stack.browser.newPage();
    const refused = page.waitForEvent('console', (message) => /integrity/i.test(message.text()));
    await page.route(`${stack.dev.url}/dist/cdn/${versioned}`, async (route) => {
      const response = await route.fetch();
      await route.fulfill({response, body: `${await response.text()}\n/* tampered */`});
    });
    await page.route(`${stack.dev.url}/blank.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><link rel="icon" href="data:,"><script type="module" src="/dist/cdn/${versioned}" integrity="${sha384(versioned)}" crossorigin="anonymous"></script>`,
      }),
    );
    await page.goto(`${stack.dev.url}/blank.html`);
    assert.equal((await refused).type(), 'error');
    assert.deepEqual(await definedTags(page), []);
    await page.close();
  });

  it('defines each tag once when the loader is loaded twice under two URLs', async () => {
    const {versioned} = manifest().entries['bwp-elements']!;
    const {page, errors, warnings} = await pageWith(`
      <script type="module" src="/dist/cdn/bwp-elements.js"></script>
      <script type="module" src="/dist/cdn/${versioned}"></script>`);
    await page.waitForFunction((tags) => tags.every((tag) => customElements.get(tag)), TAGS);
    // Both copies import the same versioned files: one module each, one definition, nothing to warn about.
    assert.deepEqual(errors, []);
    assert.deepEqual(warnings, []);
    await page.close();
  });

  it('defines each tag once with the classic script, the loader and a per-element module together', async () => {
    const badge = manifest().entries['bwp-delivery-badge']!.versioned;
    const {page, errors, warnings} = await pageWith(`
      <script src="/dist/cdn/bwp-elements.classic.js"></script>
      <script type="module" src="/dist/cdn/bwp-elements.js"></script>
      <script type="module" src="/dist/cdn/${badge}"></script>`);
    // goto() waited for load, after every module script ran; the evaluate round trip flushes the console events.
    assert.deepEqual(await definedTags(page), TAGS);
    assert.deepEqual(errors, []);
    // The loader leaves defined tags alone; the per-element module, a second copy, warns.
    assert.deepEqual(
      warnings.filter((w) => w.includes('is already defined')),
      ['<bwp-delivery-badge> is already defined; keeping the first.'],
    );
    await page.close();
  });

  // Lit's own globals: its version markers and the decorator metadata map (lit/reactive-element).
  it('adds no globals beyond Lit’s own markers', async () => {
    const {page: blank} = await pageWith('');
    const before = new Set(await blank.evaluate(() => Object.getOwnPropertyNames(window)));
    await blank.close();
    for (const src of ['/dist/cdn/bwp-elements.js', '/dist/cdn/bwp-elements.classic.js']) {
      const module = src.endsWith('classic.js') ? '' : ' type="module"';
      const {page} = await pageWith(`<script${module} src="${src}"></script>`);
      await page.waitForFunction((tags) => tags.every((tag) => customElements.get(tag)), TAGS);
      const added = (await page.evaluate(() => Object.getOwnPropertyNames(window))).filter(
        (name) => !before.has(name),
      );
      assert.deepEqual(
        added.sort(),
        ['litElementVersions', 'litHtmlVersions', 'litPropertyMetadata', 'reactiveElementVersions'],
        src,
      );
      await page.close();
    }
  });
});
