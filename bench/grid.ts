// Benchmark 3: product grids of 24 and 96 badges: HTTP requests from the page, upstream calls and time until
// every badge has settled, against a naive page that makes one request per badge.
import {readFileSync} from 'node:fs';
import type {Browser} from 'playwright-core';
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

function ourPage(n: number) {
  const items = cards(n)
    .map((c) => `<li><bwp-delivery-badge sku="${c.sku}" quantity="${c.quantity}"></bwp-delivery-badge></li>`)
    .join('');
  return `<!doctype html><html lang="en"><head><link rel="icon" href="/favicon.svg">
    <script type="module" src="/dist/cdn/bwp-elements.js"></script></head><body><ul>${items}</ul></body></html>`;
}

function naivePage(n: number) {
  const items = cards(n)
    .map((c) => `<li data-sku="${c.sku}" data-quantity="${c.quantity}"></li>`)
    .join('');
  return `<!doctype html><html lang="en"><head><link rel="icon" href="/favicon.svg">
    <script type="module" src="/bench/naive-grid.js"></script></head><body><ul>${items}</ul></body></html>`;
}

async function run(browser: Browser, stack: Stack, kind: 'ours' | 'naive', n: number) {
  const context = await browser.newContext();
  const page = await context.newPage();
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
  const result = {requests, upstream: stack.counts.graphql - upstreamBefore, time};
  await context.close();
  return result;
}

export async function runGrid() {
  const stack = await startStack();
  const browser = await launchChromium();
  const rows = [];
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
        });
      }
    }
  } finally {
    await browser.close();
    await stack.close();
  }
  printTable(
    `Product grids (${RUNS} alternating runs each; time from navigation start until every badge settled)`,
    rows,
    ['grid', 'page', 'HTTP requests', 'upstream calls', 'median ms', 'p95 ms'],
  );
  writeResult('grid', {rows});
  return rows;
}
