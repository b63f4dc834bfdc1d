// Benchmark 2: navigation start → delivery promise in the DOM, our product page vs a vanilla floor page.
import type {Browser} from 'playwright-core';
import {launchChromium} from '../test/e2e/browser.ts';
import {percentile, printTable, writeResult} from './report.ts';
import {startStack} from './stack.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);

/** Loads the page in a fresh context (cold cache) and returns the time of the 'text' mark, in ms. */
export async function timeToText(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Our elements announce "shown" with bwp-load, fired once the text is in the DOM.
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

export async function runTimeToBadge() {
  const stack = await startStack();
  const browser = await launchChromium();
  const samples = {ours: [] as number[], floor: [] as number[]};
  try {
    // Warm up the server and the browser once each, unmeasured.
    await timeToText(browser, `${stack.url}/bench/pdp.html`);
    await timeToText(browser, `${stack.url}/bench/floor.html`);
    for (let i = 0; i < RUNS; i++) {
      samples.ours.push(await timeToText(browser, `${stack.url}/bench/pdp.html`));
      samples.floor.push(await timeToText(browser, `${stack.url}/bench/floor.html`));
    }
  } finally {
    await browser.close();
    await stack.close();
  }
  const stats = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return {median: percentile(sorted, 50), p95: percentile(sorted, 95)};
  };
  const ours = stats(samples.ours);
  const floor = stats(samples.floor);
  const rows = [
    {
      page: 'ours: product page + <bwp-delivery-badge>',
      runs: RUNS,
      ...ours,
      ratio: ours.median / floor.median,
    },
    {page: 'floor: one fetch + textContent', runs: RUNS, ...floor, ratio: 1},
  ];
  printTable(
    'Time to delivery promise in the DOM (ms from navigation start; cold cache, alternating runs)',
    rows,
    ['page', 'runs', 'median', 'p95', 'ratio'],
  );
  writeResult('time-to-badge', {rows, samples});
  return rows;
}
