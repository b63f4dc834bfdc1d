// Benchmark 6: JS heap growth after 1,000 refresh cycles and after 1,000 mount/unmount cycles (Chromium, after GC).
import type {CDPSession, Page} from 'playwright-core';
import {launchChromium} from '../test/e2e/browser.ts';
import {printTable, writeResult} from './report.ts';
import {startStack} from './stack.ts';

const CYCLES = Number(process.env.BENCH_MEMORY_CYCLES ?? 1000);

async function heapAfterGc(cdp: CDPSession): Promise<number> {
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  const {usedSize} = (await cdp.send('Runtime.getHeapUsage')) as {usedSize: number};
  return usedSize;
}

async function cycles(page: Page, kind: 'refresh' | 'mount', n: number) {
  // tsx keeps function names with a __name helper that the page does not have.
  await page.evaluate('window.__name = (f) => f');
  return page.evaluate(
    async ({kind, n}) => {
      type Badge = HTMLElement & {refresh?: () => void; updateComplete: Promise<unknown>};
      const settled = (el: Element) =>
        new Promise<void>((resolve) => {
          const check = () =>
            el.getAttribute('state') !== 'loading' ? resolve() : requestAnimationFrame(check);
          check();
        });
      if (kind === 'refresh') {
        const el = document.querySelector('bwp-delivery-badge') as Badge;
        if (typeof el.refresh !== 'function') return 'no refresh()';
        for (let i = 0; i < n; i++) {
          const loaded = new Promise((resolve) => el.addEventListener('bwp-load', resolve, {once: true}));
          el.refresh();
          await loaded;
        }
        return 'ok';
      }
      const host = document.createElement('div');
      document.body.append(host);
      for (let i = 0; i < n; i++) {
        const el = document.createElement('bwp-delivery-badge') as Badge;
        el.setAttribute('sku', 'example-sku-1');
        host.append(el);
        await settled(el);
        el.remove();
      }
      host.remove();
      return 'ok';
    },
    {kind, n},
  );
}

export async function runMemory() {
  const stack = await startStack();
  const browser = await launchChromium();
  const rows = [];
  try {
    for (const kind of ['refresh', 'mount'] as const) {
      const page = await browser.newPage();
      const cdp = await page.context().newCDPSession(page);
      await page.goto(`${stack.url}/bench/pdp.html`);
      await page.waitForFunction(
        () => document.querySelector('bwp-delivery-badge')?.getAttribute('state') === 'ready',
      );
      await cycles(page, kind, 50); // warm caches and JIT first
      const before = await heapAfterGc(cdp);
      const outcome = await cycles(page, kind, CYCLES);
      const after = await heapAfterGc(cdp);
      rows.push({
        cycles: `${CYCLES} ${kind === 'refresh' ? 'refresh()' : 'mount/unmount'} cycles`,
        outcome,
        'heap before (KB)': Math.round(before / 1024),
        'heap after (KB)': Math.round(after / 1024),
        'growth (KB)': Math.round((after - before) / 1024),
        'per cycle (B)': Math.round((after - before) / CYCLES),
      });
      await page.close();
    }
  } finally {
    await browser.close();
    await stack.close();
  }
  printTable('Memory (JS heap after forced GC, Chromium CDP)', rows, [
    'cycles',
    'outcome',
    'heap before (KB)',
    'heap after (KB)',
    'growth (KB)',
    'per cycle (B)',
  ]);
  writeResult('memory', {rows});
  return rows;
}
