// Chromium through Playwright for end-to-end tests and benchmarks, and the demo stack they run against.
import {after, before} from 'node:test';
import {chromium, type Browser, type Page} from 'playwright-core';
// @ts-expect-error: a plain .mjs module shared with the test runner config, no declarations
import {CHROMIUM_ARGS, chromiumPath} from '../../scripts/chromium.mjs';
import {startDevServer, type DevServer} from '../../server/dev/app.ts';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: (chromiumPath as () => string)(),
    headless: true,
    args: CHROMIUM_ARGS as string[],
  });
}

/** The demo stack (built bundle, proxy, sandbox, demo orders) and Chromium, started before the suite, stopped after. */
export function useDemoStack(): {readonly dev: DevServer; readonly browser: Browser} {
  const stack = {} as {dev: DevServer; browser: Browser};
  before(async () => {
    stack.dev = await startDevServer({port: 0});
    stack.browser = await launchChromium();
  });
  after(async () => {
    await stack.browser?.close();
    await stack.dev?.close();
  });
  return stack;
}

/** Uncaught exceptions and console errors of a page, as they happen. */
export function pageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  return problems;
}
