import {esbuildPlugin} from '@web/dev-server-esbuild';
import {playwrightLauncher} from '@web/test-runner-playwright';
import {defaultReporter} from '@web/test-runner';
import {passFailSummaryReporter} from './scripts/wtr-summary-reporter.mjs';
import {CHROMIUM_ARGS, chromiumPath} from './scripts/chromium.mjs';

// Browser tests in Debian's Chromium (Playwright's own browser download is not possible here).
export default {
  files: 'test/components/**/*.test.ts',
  nodeResolve: true,
  plugins: [esbuildPlugin({ts: true, tsconfig: './tsconfig.json', target: 'es2022'})],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS},
    }),
  ],
  reporters: [defaultReporter(), passFailSummaryReporter()],
  filterBrowserLogs: ({args}) => !String(args[0]).includes('Lit is in dev mode'),
  testFramework: {config: {timeout: 5000}},
  testsFinishTimeout: 120000,
};
