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
  entries: Record<string, {versioned: string; alias: string}>;
  files: Record<string, {bytes: number; integrity: string}>;
}
const manifest = (): Manifest => JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
const sha384 = (file: string) =>
  `sha384-${createHash('sha384')
    .update(readFileSync(join(ROOT, file)))
    .digest('base64')}`;
const TAGS = ['bwp-delivery-badge', 'bwp-offer-summary', 'bwp-checkout-offers'];

describe('CDN distribution (built files)', () => {
  const stack = useDemoStack();

  /** A blank page on the demo origin with the given head; collects errors and console warnings. */
  async function pageWith(head: string) {
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
        body: `<!doctype html><html><head><link rel="icon" href="data:,">${head}</head><body></body></html>`,
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
    for (const {versioned, alias} of Object.values(entries)) {
      assert.ok(files[versioned], versioned);
      assert.ok(files[alias], alias);
      assert.match(
        versioned,
        new RegExp(`^v${manifest().version.replace(/\./g, '\\.')}/.+\\.[\\w-]{8}\\.js$`),
      );
    }
  });

  it('loads the versioned module with its integrity and defines the elements', async () => {
    const {versioned} = manifest().entries['bwp-elements']!;
    const {page, errors} = await pageWith(
      `<script type="module" src="/dist/cdn/${versioned}" integrity="${sha384(versioned)}" crossorigin="anonymous"></script>`,
    );
    await page.waitForFunction(() => customElements.get('bwp-delivery-badge') !== undefined);
    assert.deepEqual(errors, []);
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

  it('defines each tag once when the module is loaded twice under two URLs and the classic script too', async () => {
    const {versioned} = manifest().entries['bwp-elements']!;
    const {page, errors, warnings} = await pageWith(`
      <script src="/dist/cdn/bwp-elements.classic.js"></script>
      <script type="module" src="/dist/cdn/bwp-elements.js"></script>
      <script type="module" src="/dist/cdn/${versioned}"></script>`);
    // goto() waited for load, after every module script ran; the evaluate round trip flushes the console events.
    assert.deepEqual(await definedTags(page), TAGS);
    assert.deepEqual(errors, []);
    for (const tag of TAGS)
      assert.ok(
        warnings.some((w) => w.includes(`<${tag}> is already defined`)),
        tag,
      );
  });

  // Lit's own globals: its version markers and the decorator metadata map (lit/reactive-element).
  it('adds no globals beyond Lit’s own markers', async () => {
    const {page: blank} = await pageWith('');
    const before = new Set(await blank.evaluate(() => Object.getOwnPropertyNames(window)));
    await blank.close();
    for (const src of ['/dist/cdn/bwp-elements.js', '/dist/cdn/bwp-elements.classic.js']) {
      const module = src.endsWith('classic.js') ? '' : ' type="module"';
      const {page} = await pageWith(`<script${module} src="${src}"></script>`);
      await page.waitForFunction(() => customElements.get('bwp-delivery-badge') !== undefined);
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
