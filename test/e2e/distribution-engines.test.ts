// The CDN files in Chromium, Firefox and WebKit: the versioned module loads with its integrity and a tampered
// one is refused, loading the bundle twice defines each tag once, and it adds no globals beyond Lit's markers.
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {it} from 'node:test';
import {forEachEngine, type EnginePage, type EngineStack} from './browser.ts';

const ROOT = 'dist/cdn';
const TAGS = ['bwp-delivery-badge', 'bwp-offer-summary', 'bwp-checkout-offers'];
const versioned = () =>
  (
    JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as {
      entries: Record<string, {versioned: string}>;
    }
  ).entries['bwp-elements']!.versioned;
const sha384 = (bytes: Buffer | string) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

const definedTags = (page: EnginePage) =>
  page.evaluate((tags) => tags.filter((tag) => customElements.get(tag) !== undefined), TAGS);

/** A page on the demo origin with this head, loaded; `name` keeps each test's page its own. */
async function blank(stack: EngineStack, name: string, head: string) {
  const path = `/__e2e/${name}.html`;
  stack.serve(
    path,
    `<!doctype html><html lang="en"><head><link rel="icon" href="data:,">${head}</head><body></body></html>`,
  );
  const page = await stack.newPage();
  await page.goto(`${stack.url}${path}`);
  return page;
}

forEachEngine('CDN distribution (built files)', (stack) => {
  it('loads the versioned module with its integrity and defines the elements; a tampered copy is refused', async () => {
    const file = versioned();
    const bytes = readFileSync(join(ROOT, file));
    let page = await blank(
      stack,
      'integrity',
      `<script type="module" src="/dist/cdn/${file}" integrity="${sha384(bytes)}" crossorigin="anonymous"></script>`,
    );
    try {
      await page.waitFor(
        'the elements defined',
        () => customElements.get('bwp-delivery-badge') !== undefined,
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

  it('defines each tag once when the module is loaded twice under two URLs and the classic script too', async () => {
    const page = await blank(
      stack,
      'twice',
      `<script src="/dist/cdn/bwp-elements.classic.js"></script>
      <script type="module" src="/dist/cdn/bwp-elements.js"></script>
      <script type="module" src="/dist/cdn/${versioned()}"></script>`,
    );
    try {
      assert.deepEqual(await definedTags(page), TAGS);
      assert.deepEqual(await page.problems(), []);
      const warnings = await page.warnings();
      for (const tag of TAGS)
        assert.ok(
          warnings.some((w) => w.includes(`<${tag}> is already defined`)),
          `${tag}: ${warnings.join(' | ')}`,
        );
    } finally {
      await page.close();
    }
  });

  // Lit's own globals: its version markers and the decorator metadata map (lit/reactive-element).
  it('adds no globals beyond Lit’s own markers', async () => {
    const empty = await blank(stack, 'empty', '');
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
          () => customElements.get('bwp-delivery-badge') !== undefined,
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
