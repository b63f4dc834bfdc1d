import {esbuildPlugin} from '@web/dev-server-esbuild';
import {playwrightLauncher} from '@web/test-runner-playwright';
import {chromeLauncher, puppeteerCore} from '@web/test-runner-chrome';
import {WebdriverLauncher} from '@web/test-runner-webdriver';
import {defaultReporter} from '@web/test-runner';
import {passFailSummaryReporter} from './scripts/wtr-summary-reporter.mjs';
import {CHROMIUM_ARGS, chromiumPath} from './scripts/chromium.mjs';
import {firefoxLaunchOptions, selectedEngines, startWebKitDriver} from './scripts/browsers.mjs';

/** WebKit (MiniBrowser) through WebKitWebDriver, which this launcher starts under Xvfb and stops. */
class WebKitLauncher extends WebdriverLauncher {
  constructor() {
    super({hostname: '127.0.0.1', port: 0, capabilities: {browserName: 'MiniBrowser'}});
  }
  async initialize(config, testFiles) {
    this.webkit = await startWebKitDriver();
    this.options.port = this.webkit.port;
    this.options.capabilities = this.webkit.capabilities;
    await super.initialize(config, testFiles);
    this.name = 'WebKit';
  }
  async stop() {
    await super.stop();
    this.webkit?.stop();
  }
}

// Playwright's own browser builds cannot be downloaded here and Playwright cannot drive Debian's Firefox or
// WebKit: Chromium goes through Playwright, Firefox through puppeteer-core (WebDriver BiDi), WebKit through
// WebKitWebDriver. BWP_BROWSERS=chromium (npm run test:chromium) runs one engine for a quick edit loop.
const launchers = {
  chromium: () =>
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS},
    }),
  firefox: () => chromeLauncher({puppeteer: puppeteerCore, launchOptions: firefoxLaunchOptions()}),
  webkit: () => new WebKitLauncher(),
};

export default {
  files: 'test/components/**/*.test.ts',
  nodeResolve: true,
  plugins: [esbuildPlugin({ts: true, tsconfig: './tsconfig.json', target: 'es2022'})],
  browsers: selectedEngines().map((engine) => launchers[engine]()),
  reporters: [defaultReporter(), passFailSummaryReporter()],
  filterBrowserLogs: ({args}) => !String(args[0]).includes('Lit is in dev mode'),
  testFramework: {config: {timeout: 5000}},
  testsFinishTimeout: 120000,
};
