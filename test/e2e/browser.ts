// Chromium through Playwright for end-to-end tests and benchmarks, and the demo stack they run against; and
// forEachEngine, which gives a suite the same page API in Chromium, Firefox and WebKit.
import {after, before, describe} from 'node:test';
import {chromium, type Browser, type Page} from 'playwright-core';
import puppeteer from 'puppeteer-core';
import {remote} from 'webdriverio';
import {
  firefoxLaunchOptions,
  selectedEngines,
  startWebKitDriver,
  type Engine,
} from '../../scripts/browsers.mjs';
import {startCaptureServer, type CaptureServer} from './capture.ts';
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

/** Waits for a condition the test's own process sees (the sandbox log, the request list). */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 15_000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
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

// ---- Every engine: Chromium (Playwright), Firefox (puppeteer-core over WebDriver BiDi), WebKit (WebKitWebDriver).

/** What a test does with a page, the same in every engine. */
export interface EnginePage {
  readonly engine: Engine;
  goto(url: string): Promise<void>;
  /** Runs `fn` in the page (a self-contained function: it is sent as source) and returns its JSON result. */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  /** Resolves once `fn` returns a truthy value in the page; fails with `what` after `timeoutMs`. */
  waitFor<A>(what: string, fn: (arg: A) => unknown, arg?: A, timeoutMs?: number): Promise<void>;
  /** A real key press, sent to the focused element by the engine's driver. */
  press(key: keyof typeof WEBDRIVER_KEYS): Promise<void>;
  /** Uncaught errors, unhandled rejections, console errors and CSP violations the capture script saw. */
  problems(): Promise<string[]>;
  /** console.warn messages the capture script saw. */
  warnings(): Promise<string[]>;
  /**
   * Every error the engine itself logged to the console (its network errors too, which no script sees), where
   * its driver streams the console: Chromium and Firefox; WebKitWebDriver has no console stream (undefined).
   */
  readonly consoleErrors?: ReadonlyArray<{text: string; url: string}>;
  close(): Promise<void>;
}

export interface EngineBrowser {
  newPage(): Promise<EnginePage>;
  close(): Promise<void>;
}

// WebDriver's code points for the keys the tests press (Playwright and Puppeteer take the names).
const WEBDRIVER_KEYS = {
  Tab: '\uE004',
  Enter: '\uE007',
  Space: '\uE00D',
  ArrowLeft: '\uE012',
  ArrowUp: '\uE013',
  ArrowRight: '\uE014',
  ArrowDown: '\uE015',
} as const;

const readProblems = () =>
  (window as unknown as {__e2eProblems?: string[]}).__e2eProblems ?? ['the capture script did not run'];

function pageWith(
  engine: Engine,
  page: Pick<EnginePage, 'goto' | 'evaluate' | 'press' | 'close' | 'consoleErrors'>,
): EnginePage {
  const self: EnginePage = {
    engine,
    ...page,
    // 30 s: under a CPU hog, WebKit's checkout once needed more than 15 s to sign in and load its options.
    async waitFor(what, fn, arg, timeoutMs = 30_000) {
      // Polls (every engine can evaluate; not every driver can wait for a function): a deadline, not a delay.
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (await page.evaluate(fn as (a: unknown) => unknown, arg)) return;
        if (Date.now() > deadline)
          throw new Error(`${engine}: timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    problems: () => page.evaluate(readProblems),
    warnings: () =>
      page.evaluate(() => (window as unknown as {__e2eWarnings?: string[]}).__e2eWarnings ?? []),
  };
  return self;
}

export async function launchEngine(engine: Engine): Promise<EngineBrowser> {
  if (engine === 'chromium') {
    const browser = await launchChromium();
    return {
      async newPage() {
        const context = await browser.newContext();
        const page = await context.newPage();
        const consoleErrors: Array<{text: string; url: string}> = [];
        page.on('console', (message) => {
          if (message.type() === 'error')
            consoleErrors.push({text: message.text(), url: message.location().url});
        });
        return pageWith(engine, {
          consoleErrors,
          goto: async (url) => void (await page.goto(url)),
          evaluate: (fn, arg) => page.evaluate(fn, arg as never),
          press: (key) => page.keyboard.press(key),
          close: () => context.close(),
        });
      },
      close: () => browser.close(),
    };
  }
  if (engine === 'firefox') {
    const browser = await puppeteer.launch(firefoxLaunchOptions());
    return {
      async newPage() {
        const context = await browser.createBrowserContext();
        const page = await context.newPage();
        const consoleErrors: Array<{text: string; url: string}> = [];
        page.on('console', (message) => {
          if (message.type() === 'error')
            consoleErrors.push({text: message.text(), url: message.location().url ?? ''});
        });
        return pageWith(engine, {
          consoleErrors,
          goto: async (url) => void (await page.goto(url)),
          evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
          press: (key) => page.keyboard.press(key),
          close: () => context.close(),
        });
      },
      close: () => browser.close(),
    };
  }
  const driver = await startWebKitDriver();
  // WebKitWebDriver runs one session at a time: a page waits for the one before it to close.
  let free: Promise<void> = Promise.resolve();
  return {
    async newPage() {
      const previous = free;
      let release!: () => void;
      free = new Promise((resolve) => (release = resolve));
      await previous;
      try {
        const session = await remote({
          hostname: '127.0.0.1',
          port: driver.port,
          capabilities: driver.capabilities as WebdriverIO.Capabilities,
          logLevel: 'error',
          // A session that does not start within 30 s is asked for again (the driver replaces it), not
          // waited on for webdriverio's default 2 minutes.
          connectionRetryTimeout: 30_000,
          connectionRetryCount: 2,
        });
        return pageWith(engine, {
          async goto(url) {
            await session.url(url);
            // WebKitWebDriver answers once the page's own resources loaded, while the modules they import may
            // still load and no module script has run; Playwright and Puppeteer wait for the load event. So
            // does this: a test must not act on a page whose scripts have not run yet.
            const deadline = Date.now() + 30_000;
            while (!(await session.execute(() => document.readyState === 'complete'))) {
              if (Date.now() > deadline) throw new Error(`webkit: ${url} did not finish loading in 30 s`);
              await new Promise((resolve) => setTimeout(resolve, 20));
            }
          },
          evaluate: (fn, arg) =>
            (arg === undefined ? session.execute(fn as never) : session.execute(fn as never, arg)) as never,
          press: (key) => session.keys(WEBDRIVER_KEYS[key]),
          close: async () => {
            try {
              await session.deleteSession();
            } finally {
              release();
            }
          },
        });
      } catch (error) {
        release();
        throw error;
      }
    },
    close: async () => {
      await free;
      driver.stop();
    },
  };
}

// One browser per engine for the whole test file, shared by its suites (Firefox takes seconds to start), closed
// after the file's last test.
const running = new Map<Engine, Promise<EngineBrowser>>();
let closeRegistered = false;
function sharedEngine(engine: Engine): Promise<EngineBrowser> {
  if (!running.has(engine)) running.set(engine, launchEngine(engine));
  return running.get(engine)!;
}

export interface EngineStack {
  readonly engine: Engine;
  /** The stack behind the capture server (the demo stack unless the suite starts its own): open pages at `url`. */
  readonly dev: {readonly url: string};
  /** Where pages load from: the demo stack, each HTML page with the capture script first. */
  readonly url: string;
  /** Every GraphQL POST to the proxy, in order. */
  readonly graphql: CaptureServer['graphql'];
  /** Every request the pages made to the server (method and path), in order. */
  readonly requests: CaptureServer['requests'];
  /** Answers a path of `url` with this body (an HTML body gets the capture script first). */
  serve: CaptureServer['serve'];
  /** Answers a path of `url` with a script held until released. */
  hold: CaptureServer['hold'];
  newPage(): Promise<EnginePage>;
}

/**
 * Runs `body` once per engine (all three, or those in BWP_BROWSERS), each in its own describe with the demo
 * stack, the capture server and that engine started before and stopped after.
 */
export function forEachEngine(
  name: string,
  body: (stack: EngineStack) => void,
  options: {
    /** Starts the stack the pages come from instead of the demo stack (e.g. one with a hostile upstream). */
    start?: () => Promise<{url: string; close(): Promise<void>}>;
    concurrency?: number;
  } = {},
): void {
  if (!closeRegistered) {
    closeRegistered = true;
    after(async () => {
      for (const browser of running.values()) await (await browser).close();
      running.clear();
    });
  }
  for (const engine of selectedEngines()) {
    describe(`${name} [${engine}]`, {concurrency: options.concurrency ?? 1}, () => {
      const state = {} as {
        dev: {url: string; close(): Promise<void>};
        capture: CaptureServer;
        browser: EngineBrowser;
      };
      before(async () => {
        state.dev = await (options.start ?? (() => startDevServer({port: 0})))();
        state.capture = await startCaptureServer(state.dev.url);
        state.browser = await sharedEngine(engine);
      });
      after(async () => {
        await state.capture?.close();
        await state.dev?.close();
      });
      body({
        engine,
        get dev() {
          return state.dev;
        },
        get url() {
          return state.capture.url;
        },
        get graphql() {
          return state.capture.graphql;
        },
        get requests() {
          return state.capture.requests;
        },
        serve: (...args) => state.capture.serve(...args),
        hold: (...args) => state.capture.hold(...args),
        newPage: () => state.browser.newPage(),
      });
    });
  }
}
