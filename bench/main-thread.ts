// Benchmark 4: main thread and layout under 4x CPU throttling: long tasks, script time, and CLS in the
// ready, empty, error and slow states.
import type {Browser, Page} from 'playwright-core';
import {launchChromium} from '../test/e2e/browser.ts';
import {percentile, printTable, writeResult} from './report.ts';
import {startStack, type Stack} from './stack.ts';

const RUNS = Number(process.env.BENCH_MAIN_RUNS ?? 5);

const STATES = [
  {state: 'ready', sku: 'example-sku-1', route: undefined},
  {state: 'empty', sku: 'example-sku-2', route: undefined},
  {state: 'error', sku: 'example-sku-1', route: 'error'},
  {state: 'slow (3 s)', sku: 'example-sku-1', route: 'slow'},
] as const;

async function observe(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as {cls: number; longTasks: number[]};
    w.cls = 0;
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as Array<
        PerformanceEntry & {value: number; hadRecentInput: boolean}
      >) {
        if (!entry.hadRecentInput) w.cls += entry.value;
      }
    }).observe({type: 'layout-shift', buffered: true});
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.longTasks.push(entry.duration);
    }).observe({type: 'longtask', buffered: true});
  });
}

async function measure(browser: Browser, stack: Stack, url: string, route?: 'error' | 'slow') {
  const context = await browser.newContext({viewport: {width: 800, height: 600}});
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', {rate: 4});
  await cdp.send('Performance.enable');
  await observe(page);
  if (route === 'error')
    await page.route(`${stack.url}/bwp/graphql`, (r) => r.fulfill({status: 500, body: ''}));
  if (route === 'slow') {
    await page.route(`${stack.url}/bwp/graphql`, async (r) => {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await r.continue();
    });
  }
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const badge = document.querySelector('bwp-delivery-badge');
      return !badge || (badge.hasAttribute('state') && badge.getAttribute('state') !== 'loading');
    },
    null,
    {timeout: 20_000},
  );
  await page.waitForTimeout(500); // let any late shift be recorded
  const {metrics} = (await cdp.send('Performance.getMetrics')) as {
    metrics: Array<{name: string; value: number}>;
  };
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  const result = await page.evaluate(() => {
    const w = window as unknown as {cls: number; longTasks: number[]};
    return {cls: w.cls, longTasks: w.longTasks.length, longest: Math.max(0, ...w.longTasks)};
  });
  await context.close();
  return {...result, scriptMs: metric('ScriptDuration') * 1000, taskMs: metric('TaskDuration') * 1000};
}

export async function runMainThread() {
  const stack = await startStack();
  const browser = await launchChromium();
  const rows = [];
  try {
    const pages = [
      ...STATES.map((s) => ({
        page: `ours: ${s.state}`,
        url: `${stack.url}/bench/pdp-state.html?sku=${s.sku}`,
        route: s.route,
      })),
      {page: 'floor: one fetch + textContent', url: `${stack.url}/bench/floor.html`, route: undefined},
    ];
    for (const {page, url, route} of pages) {
      const samples: Array<Awaited<ReturnType<typeof measure>>> = [];
      for (let i = 0; i < RUNS; i++) samples.push(await measure(browser, stack, url, route));
      const median = (key: 'scriptMs' | 'taskMs') =>
        percentile(
          samples.map((s) => s[key]).sort((a, b) => a - b),
          50,
        );
      rows.push({
        page,
        runs: RUNS,
        'long tasks': Math.max(...samples.map((s) => s.longTasks)),
        'longest ms': Math.max(...samples.map((s) => s.longest)),
        'script ms (median)': median('scriptMs'),
        'all tasks ms (median)': median('taskMs'),
        'CLS (max)': Math.max(...samples.map((s) => s.cls)).toFixed(3),
      });
    }
  } finally {
    await browser.close();
    await stack.close();
  }
  printTable(
    'Main thread and layout, 4x CPU throttling (Chromium CDP; long tasks and CLS from PerformanceObserver)',
    rows,
    ['page', 'runs', 'long tasks', 'longest ms', 'script ms (median)', 'all tasks ms (median)', 'CLS (max)'],
  );
  writeResult('main-thread', {rows});
  return rows;
}
