// Benchmark 3: product grids of 24 and 96 badges: HTTP requests from the page, upstream calls, time until
// every badge has settled and layout shift (CLS), against a naive page that makes one request per badge;
// then the 48-card demo grid: CLS at 140 px and 320 px cards and the requests of a page-wide postal-code change.
import {readFileSync} from 'node:fs';
import type {Browser, Page} from 'playwright-core';
import {launchChromium} from '../test/e2e/browser.ts';
import {percentile, printTable, writeResult} from './report.ts';
import {startStack, type Stack} from './stack.ts';

const RUNS = Number(process.env.BENCH_GRID_RUNS ?? 10);
const skus: string[] = (
  JSON.parse(readFileSync('server/sandbox/catalog.json', 'utf8')) as Array<{sku: string}>
).map((p) => p.sku);

/** Card i shows catalog product i modulo the catalog, at a quantity that keeps every card's request distinct. */
const cards = (n: number) =>
  Array.from({length: n}, (_, i) => ({
    sku: skus[i % skus.length]!,
    quantity: 1 + Math.floor(i / skus.length),
  }));

// Our page as the README asks: compact badges on cards, their size reserved before the script runs.
function ourPage(n: number) {
  const items = cards(n)
    .map(
      (c) =>
        `<li class="card"><bwp-delivery-badge variant="compact" sku="${c.sku}" quantity="${c.quantity}"></bwp-delivery-badge></li>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><link rel="icon" href="/favicon.svg">
    <link rel="stylesheet" href="/demo.css">
    <script type="module" src="/dist/cdn/bwp-elements.js"></script></head><body><ul class="grid">${items}</ul></body></html>`;
}

function naivePage(n: number) {
  const items = cards(n)
    .map((c) => `<li data-sku="${c.sku}" data-quantity="${c.quantity}"></li>`)
    .join('');
  return `<!doctype html><html lang="en"><head><link rel="icon" href="/favicon.svg">
    <script type="module" src="/bench/naive-grid.js"></script></head><body><ul>${items}</ul></body></html>`;
}

/** Sums every layout shift from the first paint (none comes after input here). */
async function observeLayoutShift(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as {__cls: number};
    w.__cls = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as Array<PerformanceEntry & {value: number}>)
        w.__cls += entry.value;
    }).observe({type: 'layout-shift', buffered: true});
  });
}
/** The layout shift so far, read after two frames so the last one is counted. */
const layoutShift = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve) =>
        requestAnimationFrame(() =>
          requestAnimationFrame(() => resolve((window as unknown as {__cls: number}).__cls)),
        ),
      ),
  );

const allSettled = () =>
  document.querySelectorAll('bwp-delivery-badge').length > 0 &&
  Array.from(document.querySelectorAll('bwp-delivery-badge')).every(
    (b) => b.hasAttribute('state') && b.getAttribute('state') !== 'loading',
  );

async function run(browser: Browser, stack: Stack, kind: 'ours' | 'naive', n: number) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await observeLayoutShift(page);
  let requests = 0;
  page.on('request', (request) => request.url().endsWith('/bwp/graphql') && requests++);
  await page.route(`${stack.url}/grid.html`, (route) =>
    route.fulfill({contentType: 'text/html', body: kind === 'ours' ? ourPage(n) : naivePage(n)}),
  );
  const upstreamBefore = stack.counts.graphql;
  await page.goto(`${stack.url}/grid.html`);
  const settled =
    kind === 'ours'
      ? () =>
          document.querySelectorAll('bwp-delivery-badge').length > 0 &&
          Array.from(document.querySelectorAll('bwp-delivery-badge')).every(
            (b) => b.hasAttribute('state') && b.getAttribute('state') !== 'loading',
          ) &&
          performance.now()
      : () => performance.getEntriesByName('all-rendered')[0]?.startTime;
  const handle = await page
    .waitForFunction(settled, null, {polling: 'raf', timeout: 20_000})
    .catch(async (error) => {
      const pending = await page.evaluate(() =>
        Array.from(document.querySelectorAll('bwp-delivery-badge'))
          .filter((b) => b.getAttribute('state') === 'loading')
          .map((b) => b.getAttribute('sku')),
      );
      throw new Error(`${kind} grid of ${n} did not settle (still loading: ${pending.join(' ') || 'none'})`, {
        cause: error,
      });
    });
  const time = (await handle.jsonValue()) as number;
  const cls = await layoutShift(page);
  const result = {requests, upstream: stack.counts.graphql - upstreamBefore, time, cls};
  await context.close();
  return result;
}

export async function runGrid() {
  const stack = await startStack();
  const browser = await launchChromium();
  const rows = [];
  const demo: Array<Awaited<ReturnType<typeof demoGrid>>> = [];
  try {
    for (const n of [24, 96]) {
      await run(browser, stack, 'ours', n); // warm-up
      const samples = {
        ours: [] as Awaited<ReturnType<typeof run>>[],
        naive: [] as Awaited<ReturnType<typeof run>>[],
      };
      for (let i = 0; i < RUNS; i++) {
        samples.ours.push(await run(browser, stack, 'ours', n));
        samples.naive.push(await run(browser, stack, 'naive', n));
      }
      for (const kind of ['ours', 'naive'] as const) {
        const times = samples[kind].map((s) => s.time).sort((a, b) => a - b);
        rows.push({
          grid: `${n} badges`,
          page: kind === 'ours' ? 'ours (batched)' : 'naive (one request per badge)',
          'HTTP requests': samples[kind][0]!.requests,
          'upstream calls': samples[kind][0]!.upstream,
          'median ms': percentile(times, 50),
          'p95 ms': percentile(times, 95),
          'max CLS': Math.max(...samples[kind].map((s) => s.cls)),
        });
      }
    }
    for (const width of [140, 320]) demo.push(await demoGrid(browser, stack, width));
  } finally {
    await browser.close();
    await stack.close();
  }
  printTable(
    `Product grids (${RUNS} alternating runs each; time from navigation start until every badge settled)`,
    rows,
    ['grid', 'page', 'HTTP requests', 'upstream calls', 'median ms', 'p95 ms', 'max CLS'],
  );
  printTable(
    'The 48-card demo grid (demo/grid.html): layout shift until every badge settled, and setPostalCode("10001")',
    demo,
    [
      'card width',
      'CLS',
      'HTTP requests on load',
      'HTTP requests for setPostalCode',
      'upstream calls for it',
    ],
  );
  writeResult('grid', {rows, demo});
  return rows;
}

/** The demo grid with cards of one width: CLS while it loads, then one page-wide postal-code change. */
async function demoGrid(browser: Browser, stack: Stack, cardWidth: number) {
  const context = await browser.newContext({viewport: {width: 1280, height: 900}});
  const page = await context.newPage();
  await observeLayoutShift(page);
  // The demo page as served, with its cards at one width from the first paint.
  const html = readFileSync('demo/grid.html', 'utf8').replace(
    '</head>',
    `<style>.grid { grid-template-columns: repeat(auto-fill, ${cardWidth}px); }</style></head>`,
  );
  await page.route(`${stack.url}/grid.html`, (route) =>
    route.fulfill({contentType: 'text/html', body: html}),
  );
  let requests = 0;
  page.on('request', (request) => request.url().endsWith('/bwp/graphql') && requests++);
  await page.goto(`${stack.url}/grid.html`);
  await page.waitForFunction(allSettled, null, {polling: 'raf', timeout: 20_000});
  const cls = await layoutShift(page);
  const onLoad = requests;
  const upstreamBefore = stack.counts.graphql;
  await page.evaluate(async () => {
    const {setPostalCode} = (await import('/dist/cdn/bwp-elements.js' as string)) as {
      setPostalCode: (zip: string | null) => void;
    };
    setPostalCode('10001');
  });
  // Wait for the grid to ask again, then for its answer to be on screen.
  for (let waited = 0; requests === onLoad; waited += 20) {
    if (waited > 20_000) throw new Error('the grid did not ask again after setPostalCode');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await page.waitForFunction(allSettled, null, {polling: 'raf', timeout: 20_000});
  const result = {
    'card width': `${cardWidth} px`,
    CLS: cls,
    'HTTP requests on load': onLoad,
    'HTTP requests for setPostalCode': requests - onLoad,
    'upstream calls for it': stack.counts.graphql - upstreamBefore,
  };
  await context.close();
  return result;
}
