// Benchmark: the one tag (bwp-elements.js, a loader) against today's single file, in one run. Bytes each
// page loads through it, as the browser requests them (each file brotli-compressed on its own, as a
// server sends it), and time to the delivery promise against a floor page that sends the same proxy
// request by itself.
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Browser} from 'playwright-core';
import {build} from 'vite';
// @ts-expect-error: plain .mjs helper shared with the build
import {compressedSizes} from '../scripts/sizes.mjs';
// @ts-expect-error: plain .mjs build plugin, no declarations
import {staticImports} from '../scripts/build-plugins.mjs';
// @ts-expect-error: plain .mjs helper, no declarations
import {pinnedTags as importMapTags} from '../scripts/importmap.mjs';
import {launchChromium} from '../test/e2e/browser.ts';
import {percentile, printTable, writeResult} from './report.ts';
import {startStack} from './stack.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const FLOOR = 'floor: one fetch + textContent';
// What any Lit element pays over the floor: Lit and one element that shows the same fetch's answer, one file.
const LIT_FLOOR = 'Lit floor: Lit + one element showing the same fetch (one file)';
// The product page's three files (loader, core, product) built into one: what fewer files would gain.
const ONE_FILE = 'loader + badge + summary code in one file';
// What docs/install.md has a product template paste: `node scripts/importmap.mjs <base> delivery-badge …`.
const RECOMMENDED = 'loader, pinned + modulepreload of the badge code (importmap.mjs tags)';
// Generated pages and the single-file build live under dist/ (served by the stack, never published).
const OUT = 'dist/bench';
const GOAL = {productBrotli: 10 * 1024, ratio: 1.1};

const brotli = (file: string) => (compressedSizes(readFileSync(file)) as {brotli: number}).brotli;

/** Today's single file: every element and the data layer in one module (src/define.ts), as built before the loader. */
async function buildSingleFile() {
  await buildOne('src/define.ts', 'single', 'bwp-elements.js');
}

/**
 * One module built from `entry` into OUT/<dir>/<file>, minified as the CDN build is, with dynamic imports
 * kept in the same file: the single file, the Lit floor and the product page in one file.
 */
async function buildOne(entry: string, dir: string, file: string) {
  await build({
    configFile: false,
    logLevel: 'warn',
    // As scripts/build.mjs: our modules keep their side effects (they define the elements).
    plugins: [
      {
        name: 'own-side-effects',
        transform: (_code, id) => (id.includes('/node_modules/') ? null : {moduleSideEffects: true}),
      },
      // Still one file now that the summary imports its location control lazily.
      staticImports,
    ],
    define: {'process.env.NODE_ENV': JSON.stringify('production')},
    build: {
      target: 'es2022',
      outDir: join(OUT, dir),
      emptyOutDir: true,
      copyPublicDir: false,
      lib: {entry: {[dir]: entry}, formats: ['es'], fileName: () => file},
      rolldownOptions: {output: {minify: true, comments: false, codeSplitting: false}},
    },
  });
}

const page = (title: string, head: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="/favicon.svg"><title>${title}</title>${head}</head><body><h1>In Search of Lost Time</h1>${body}</body></html>`;
const tag = (src: string) => `<script type="module" src="${src}"></script>`;
const ALIAS = '/dist/cdn/bwp-elements.js';
const SINGLE = `/${OUT}/single/bwp-elements.js`;
const BADGE = '<bwp-delivery-badge sku="example-sku-1"></bwp-delivery-badge>';
const SUMMARY = '<bwp-offer-summary sku="example-sku-1"></bwp-offer-summary>';
const CHECKOUT =
  '<bwp-checkout-offers><bwp-line-item sku="example-sku-1" quantity="1"></bwp-line-item></bwp-checkout-offers>';

function writePages(origin: string) {
  const manifest = JSON.parse(readFileSync('dist/cdn/manifest.json', 'utf8'));
  // A pinned page names the versioned loader; the alias re-exports it (one request more).
  const pinned = `/dist/cdn/${manifest.entries['bwp-elements'].versioned}`;
  // The tags docs/install.md has merchants paste: the import map pinning every file, and the versioned
  // loader; a product template that knows its elements adds their code's modulepreload links.
  const pinnedTags = (elements: string[] = []) =>
    (importMapTags(manifest, `${origin}/dist/cdn/`, elements) as {html: string}).html;
  const pages = {
    'product-loader.html': page('Product page, the loader', tag(pinned), BADGE + SUMMARY),
    'product-single.html': page('Product page, the single file', tag(SINGLE), BADGE + SUMMARY),
    'checkout-loader.html': page('Checkout, the loader', tag(pinned), CHECKOUT),
    'checkout-single.html': page('Checkout, the single file', tag(SINGLE), CHECKOUT),
    'badge-loader.html': page('Badge, the loader', tag(ALIAS), BADGE),
    'badge-loader-pinned.html': page('Badge, the pinned loader', pinnedTags(), BADGE),
    'badge-loader-preload.html': page(
      'Badge, the pinned loader + modulepreload',
      pinnedTags(['delivery-badge']),
      BADGE,
    ),
    'badge-single.html': page('Badge, the single file', tag(SINGLE), BADGE),
    'badge-one-file.html': page(
      'Badge, loader and product code in one file',
      tag(`/${OUT}/one/product.js`),
      BADGE,
    ),
    'lit-floor.html': page('The Lit floor', tag(`/${OUT}/lit/lit-floor.js`), '<lit-floor></lit-floor>'),
  };
  mkdirSync(OUT, {recursive: true});
  for (const [name, html] of Object.entries(pages)) writeFileSync(join(OUT, name), html);
}

/** The JavaScript files a page requests until its elements settle, and their brotli bytes. */
/** Loads the page in a fresh context (cold cache) and returns the time of the 'text' mark, in ms. */
async function timeToText(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Our elements announce "shown" with bwp-load, fired once the text is in the DOM (the floors mark it themselves).
  await page.addInitScript(() =>
    document.addEventListener('bwp-load', () => performance.mark('text'), {once: true}),
  );
  await page.goto(url);
  const time = await page.waitForFunction(() => performance.getEntriesByName('text')[0]?.startTime, null, {
    timeout: 10_000,
  });
  const value = (await time.jsonValue()) as number;
  await context.close();
  return value;
}

async function bytesLoaded(browser: Browser, url: string) {
  const context = await browser.newContext();
  const tab = await context.newPage();
  const files: string[] = [];
  tab.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith('.js')) files.push(path.slice(1));
  });
  await tab.goto(url);
  await tab.waitForFunction(
    () =>
      Array.from(
        document.querySelectorAll('bwp-delivery-badge, bwp-offer-summary, bwp-checkout-offers'),
      ).every((el) => (el.getAttribute('state') ?? 'loading') !== 'loading'),
    null,
    {timeout: 10_000},
  );
  await context.close();
  return {files: files.length, brotli: files.reduce((sum, file) => sum + brotli(file), 0)};
}

export async function runLoader() {
  await buildSingleFile();
  await buildOne('bench/fixtures/product-one-file.js', 'one', 'product.js');
  await buildOne('bench/fixtures/lit-floor.ts', 'lit', 'lit-floor.js');
  const stack = await startStack();
  writePages(stack.url);
  const browser = await launchChromium();
  const at = (name: string) => `${stack.url}/${OUT}/${name}`;
  const timed = {
    [RECOMMENDED]: at('badge-loader-preload.html'),
    'loader, pinned (import map + v<version>/bwp-elements.<hash>.js)': at('badge-loader-pinned.html'),
    'loader, alias (bwp-elements.js)': at('badge-loader.html'),
    'single file (before the loader)': at('badge-single.html'),
    [ONE_FILE]: at('badge-one-file.html'),
    [LIT_FLOOR]: at('lit-floor.html'),
    [FLOOR]: `${stack.url}/bench/floor.html`,
  };
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(timed).map((k) => [k, []]));
  let bytes;
  try {
    bytes = [
      {
        page: 'product page (badge + summary), loader',
        ...(await bytesLoaded(browser, at('product-loader.html'))),
      },
      {
        page: 'product page (badge + summary), single file',
        ...(await bytesLoaded(browser, at('product-single.html'))),
      },
      {page: 'checkout page, loader', ...(await bytesLoaded(browser, at('checkout-loader.html')))},
      {page: 'checkout page, single file', ...(await bytesLoaded(browser, at('checkout-single.html')))},
    ];
    // Warm up the server and the browser once per page, unmeasured; then run every page once per round,
    // each round starting one page further on, so that no page always follows the same one.
    const pages = Object.entries(timed);
    for (const [, url] of pages) await timeToText(browser, url);
    for (let i = 0; i < RUNS; i++)
      for (let j = 0; j < pages.length; j++) {
        const [name, url] = pages[(i + j) % pages.length]!;
        samples[name]!.push(await timeToText(browser, url));
      }
  } finally {
    await browser.close();
    await stack.close();
    rmSync(OUT, {recursive: true, force: true});
  }
  const median = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    );
  const p95 = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      95,
    );
  // Each run against the floor of its own round (the machine's load moves both alike), then the median of
  // those ratios: steadier than the ratio of two medians, which is given beside it. On a shared machine
  // the load only ever adds time, so the fastest of many runs is the one least disturbed: the ratio of
  // the minimums says what the page itself costs, the median what it cost on this machine today.
  const floors = samples[FLOOR]!;
  const round = (x: number) => Math.round(x * 100) / 100;
  const times = Object.entries(samples).map(([page, values]) => ({
    page,
    runs: values.length,
    min: Math.min(...values),
    median: median(values),
    p95: p95(values),
    ratio: round(median(values.map((value, i) => value / floors[i]!))),
    'ratio of medians': round(median(values) / median(floors)),
    'ratio of minimums': round(Math.min(...values) / Math.min(...floors)),
  }));
  const product = bytes[0]!.brotli;
  const recommended = times.find((t) => t.page === RECOMMENDED)!;
  const targets = [
    {
      target: 'product page through the one tag ≤ 10 KB brotli',
      value: product,
      limit: GOAL.productBrotli,
      met: product <= GOAL.productBrotli,
    },
    {
      target: 'time to promise through the recommended tags ≤ 1.1× the floor (fastest runs)',
      value: recommended['ratio of minimums'],
      limit: GOAL.ratio,
      met: recommended['ratio of minimums'] <= GOAL.ratio,
    },
    {
      target: 'time to promise through the recommended tags ≤ 1.1× the floor (median of paired runs)',
      value: recommended.ratio,
      limit: GOAL.ratio,
      met: recommended.ratio <= GOAL.ratio,
    },
  ];
  printTable(
    'Bytes a page loads (JavaScript files requested until its elements settle; brotli q11 each)',
    bytes,
    ['page', 'files', 'brotli'],
  );
  printTable(
    "Time to delivery promise in the DOM (ms from navigation start; cold cache, pages alternating; ratio: median of each run against its round's floor)",
    times,
    ['page', 'runs', 'min', 'median', 'p95', 'ratio', 'ratio of medians', 'ratio of minimums'],
  );
  printTable('Loader targets', targets, ['target', 'value', 'limit', 'met']);
  writeResult('loader', {bytes, times, targets, samples});
  return targets;
}
