// @web/test-runner reporter that writes the pass/fail counts to a file for scripts/test.mjs to sum.
// A test file that errored without reporting a failing test (load error, timeout) counts as one failure.
import {writeFileSync} from 'node:fs';

export function passFailSummaryReporter() {
  const count = (suite, c) => {
    for (const t of suite?.tests ?? []) c[t.skipped ? 'skipped' : t.passed ? 'passed' : 'failed']++;
    for (const s of suite?.suites ?? []) count(s, c);
    return c;
  };
  return {
    stop({sessions}) {
      const total = {passed: 0, failed: 0, skipped: 0, browsers: {}};
      for (const session of sessions) {
        const c = count(session.testResults, {passed: 0, failed: 0, skipped: 0});
        if (session.passed === false && c.failed === 0) c.failed = 1;
        total.passed += c.passed;
        total.failed += c.failed;
        total.skipped += c.skipped;
        const browser = (total.browsers[session.browser.name] ??= {passed: 0, failed: 0, skipped: 0});
        for (const k of ['passed', 'failed', 'skipped']) browser[k] += c[k];
      }

      if (process.env.BWP_WTR_SUMMARY) writeFileSync(process.env.BWP_WTR_SUMMARY, JSON.stringify(total));
      process.once('exit', () => {
        for (const [name, c] of Object.entries(total.browsers))
          process.stdout.write(`${name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped\n`);
        process.stdout.write(`${total.passed} passed, ${total.failed} failed\n`);
      });
    },
  };
}
