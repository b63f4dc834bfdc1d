// The CDN files in Chromium, Firefox and WebKit: the versioned loader loads with its integrity, and the element
// files it imports with the integrity an import map pins (docs/install.md); a tampered copy of either is
// refused; loading the bundle twice defines each tag once; and it adds no globals beyond Lit's markers.
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {it} from 'node:test';
import {forEachEngine, type EnginePage, type EngineStack} from './browser.ts';

const ROOT = 'dist/cdn';
const TAGS = ['bwp-delivery-badge', 'bwp-offer-summary', 'bwp-checkout-offers'];
// The loader defines only the elements a page has: these pages have all three.
const ELEMENTS = TAGS.map((tag) => `<${tag}></${tag}>`).join('');
interface Manifest {
  /** The element code the loader imports when a tag appears. */
  lazy: Record<string, string>;
  entries: Record<string, {versioned: string}>;
  files: Record<string, {integrity: string}>;
}
const manifest = (): Manifest => JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
const versioned = () => manifest().entries['bwp-elements']!.versioned;
const sha384 = (bytes: Buffer | string) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

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

const definedTags = (page: EnginePage) =>
  page.evaluate((tags) => tags.filter((tag) => customElements.get(tag) !== undefined), TAGS);

/** A page on the demo origin with this head and body, loaded; `name` keeps each test's page its own. */
async function blank(stack: EngineStack, name: string, head: string, body = ELEMENTS) {
  const path = `/__e2e/${name}.html`;
  stack.serve(
    path,
    `<!doctype html><html lang="en"><head><link rel="icon" href="data:,">${head}</head><body>${body}</body></html>`,
  );
  const page = await stack.newPage();
  await page.goto(`${stack.url}${path}`);
  return page;
}

forEachEngine('CDN distribution (built files)', (stack) => {
  it('loads the versioned loader with its integrity and its element files with the import map’s, and defines the elements; a tampered copy is refused', async () => {
    const file = versioned();
    const bytes = readFileSync(join(ROOT, file));
    let page = await blank(
      stack,
      'integrity',
      `${integrityMap()}<script type="module" src="/dist/cdn/${file}" integrity="${sha384(bytes)}" crossorigin="anonymous"></script>`,
    );
    try {
      await page.waitFor(
        'the elements defined',
        (tags) => tags.every((tag) => customElements.get(tag) !== undefined),
        TAGS,
      );
      assert.deepEqual(await definedTags(page), TAGS);
      assert.deepEqual(await page.problems(), []);
    } finally {
      await page.close();
    }
    // The same page with the same integrity, but the file's bytes changed: the engine must not run it.
    stack.serve('/__e2e/tampered.js', `${bytes.toString('utf8')}\n/* tampered */`, {
      'content-type': 'text/javascript',
    });
    assert.equal((await fetch(`${stack.url}/__e2e/tampered.js`)).status, 200, 'the tampered copy is served');
    page = await blank(
      stack,
      'tampered',
      `<script type="module" src="/__e2e/tampered.js" integrity="${sha384(bytes)}" crossorigin="anonymous"></script>`,
    );
    try {
      // goto() waited for load, which waits for the module script (run or refused).
      assert.deepEqual(await definedTags(page), []);
    } finally {
      await page.close();
    }
  });

  // WebKit (WebKitGTK 2.50 here) reads the import map but not its `integrity`: it loads the tampered file.
  const noMapIntegrity = stack.engine === 'webkit';
  it(
    `refuses an element file whose integrity the import map pins differently, and defines the others${noMapIntegrity ? ' (skipped: this WebKit ignores import-map integrity and loads it)' : ''}`,
    {skip: noMapIntegrity},
    async () => {
      const checkout = manifest().lazy['checkout-offers']!;
      const page = await blank(
        stack,
        'tampered-lazy',
        `${integrityMap(checkout)}<script type="module" src="/dist/cdn/${versioned()}"></script>`,
      );
      try {
        await page.waitFor(
          'the product elements defined',
          () =>
            customElements.get('bwp-delivery-badge') !== undefined &&
            customElements.get('bwp-offer-summary') !== undefined,
        );
        // The page's own import of that file settles: refused by the map's integrity, not merely late.
        assert.equal(
          await page.evaluate(
            (url) =>
              import(url).then(
                () => 'loaded',
                () => 'refused',
              ),
            `/dist/cdn/${checkout}`,
          ),
          'refused',
        );
        assert.equal(
          await page.evaluate(() => customElements.get('bwp-checkout-offers') === undefined),
          true,
        );
      } finally {
        await page.close();
      }
    },
  );

  it('defines each tag once with the classic script, the loader under two URLs and a per-element module together', async () => {
    const badge = manifest().entries['bwp-delivery-badge']!.versioned;
    const page = await blank(
      stack,
      'twice',
      `<script src="/dist/cdn/bwp-elements.classic.js"></script>
      <script type="module" src="/dist/cdn/bwp-elements.js"></script>
      <script type="module" src="/dist/cdn/${versioned()}"></script>
      <script type="module" src="/dist/cdn/${badge}"></script>`,
    );
    try {
      // goto() waited for load, after every module script ran.
      assert.deepEqual(await definedTags(page), TAGS);
      assert.deepEqual(await page.problems(), []);
      // The loaders leave the tags the classic script defined alone; the per-element module, a second copy,
      // keeps the first definition and says so.
      assert.deepEqual(
        (await page.warnings()).filter((w) => w.includes('is already defined')),
        ['<bwp-delivery-badge> is already defined; keeping the first.'],
      );
    } finally {
      await page.close();
    }
  });

  // Lit's own globals: its version markers and the decorator metadata map (lit/reactive-element).
  it('adds no globals beyond Lit’s own markers', async () => {
    const empty = await blank(stack, 'empty', '', '');
    const before = new Set(await empty.evaluate(() => Object.getOwnPropertyNames(window)));
    await empty.close();
    for (const src of ['/dist/cdn/bwp-elements.js', '/dist/cdn/bwp-elements.classic.js']) {
      const module = src.endsWith('classic.js') ? '' : ' type="module"';
      const page = await blank(
        stack,
        `globals-${module ? 'module' : 'classic'}`,
        `<script${module} src="${src}"></script>`,
      );
      try {
        await page.waitFor(
          'the elements defined',
          (tags) => tags.every((tag) => customElements.get(tag) !== undefined),
          TAGS,
        );
        const added = (await page.evaluate(() => Object.getOwnPropertyNames(window))).filter(
          (name) => !before.has(name),
        );
        assert.deepEqual(
          added.sort(),
          ['litElementVersions', 'litHtmlVersions', 'litPropertyMetadata', 'reactiveElementVersions'],
          src,
        );
      } finally {
        await page.close();
      }
    }
  });
});
