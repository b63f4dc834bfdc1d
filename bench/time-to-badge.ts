// Benchmark 2: navigation start → delivery promise in the DOM, our product page vs a vanilla floor page, in
// each engine (Chromium, Firefox, WebKit; BWP_BROWSERS picks some), each against its own floor in the same run.
import {selectedEngines, type Engine} from '../scripts/browsers.mjs';
import {launchEngine, type EngineBrowser} from '../test/e2e/browser.ts';
import {percentile, printTable, writeResult} from './report.ts';
import {startStack} from './stack.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);

/** Loads the page in a fresh page of its own (cold cache) and returns the time of the 'text' mark, in ms. */
async function timeToText(browser: EngineBrowser, url: string): Promise<number> {
  const page = await browser.newPage();
  try {
    // Both pages set the mark once the text is in the DOM (ours on bwp-load, the floor after textContent).
    await page.goto(url);
    await page.waitFor(
      'the text mark',
      () => performance.getEntriesByName('text').length > 0,
      undefined,
      10_000,
    );
    return await page.evaluate(() => performance.getEntriesByName('text')[0]!.startTime);
  } finally {
    await page.close();
  }
}

async function measure(engine: Engine, url: string) {
  const browser = await launchEngine(engine);
  const samples = {ours: [] as number[], floor: [] as number[]};
  try {
    // Warm up the server and the browser once each, unmeasured.
    await timeToText(browser, `${url}/bench/pdp.html`);
    await timeToText(browser, `${url}/bench/floor.html`);
    for (let i = 0; i < RUNS; i++) {
      samples.ours.push(await timeToText(browser, `${url}/bench/pdp.html`));
      samples.floor.push(await timeToText(browser, `${url}/bench/floor.html`));
    }
  } finally {
    await browser.close();
  }
  return samples;
}

export async function runTimeToBadge() {
  const stack = await startStack();
  const stats = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return {median: percentile(sorted, 50), p95: percentile(sorted, 95)};
  };
  const rows = [];
  const samples: Record<string, {ours: number[]; floor: number[]}> = {};
  try {
    for (const engine of selectedEngines()) {
      samples[engine] = await measure(engine, stack.url);
      const ours = stats(samples[engine].ours);
      const floor = stats(samples[engine].floor);
      rows.push(
        {
          engine,
          page: 'ours: product page + <bwp-delivery-badge>',
          runs: RUNS,
          ...ours,
          ratio: ours.median / floor.median,
        },
        {engine, page: 'floor: one fetch + textContent', runs: RUNS, ...floor, ratio: 1},
      );
    }
  } finally {
    await stack.close();
  }
  printTable(
    'Time to delivery promise in the DOM (ms from navigation start; cold cache, alternating runs; ratio to the same engine’s floor)',
    rows,
    ['engine', 'page', 'runs', 'median', 'p95', 'ratio'],
  );
  writeResult('time-to-badge', {rows, samples});
  return rows;
}
