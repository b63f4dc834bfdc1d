// Launches Debian's Chromium through Playwright for end-to-end tests and benchmarks.
import {chromium, type Browser} from 'playwright-core';
// @ts-expect-error: a plain .mjs module shared with the test runner config, no declarations
import {CHROMIUM_ARGS, chromiumPath} from '../../scripts/chromium.mjs';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: (chromiumPath as () => string)(),
    headless: true,
    args: CHROMIUM_ARGS as string[],
  });
}
