// `npm test`: every suite (checks, node, browser, build + end-to-end), then one line "N passed, N failed".
// `node scripts/test.mjs node browser` runs only the named stages; `long` (npm run test:long) only when named.
// Naming engines (`node scripts/test.mjs chromium`, npm run test:chromium) runs the browser stages in those
// only, as BWP_BROWSERS=chromium does; by default they run in chromium, firefox and webkit.
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {ENGINES, selectedEngines} from './browsers.mjs';

const ALL = ['check', 'node', 'browser', 'e2e'];
// Run only when named (`npm run test:long`): never part of `npm test`.
const LONG = 'long';
const wanted = process.argv.slice(2).filter((a) => ALL.includes(a) || a === LONG);
const engines = process.argv.slice(2).filter((a) => ENGINES.includes(a));
if (engines.length) process.env.BWP_BROWSERS = engines.join(',');
const stages = wanted.length ? wanted : ALL;
const work = mkdtempSync(join(tmpdir(), 'bwp-test-'));
const bin = (name) => join('node_modules', '.bin', name);
const total = {passed: 0, failed: 0};
const started = Date.now();

const run = (command, args, env = {}) =>
  spawnSync(command, args, {stdio: 'inherit', env: {...process.env, ...env}}).status === 0;

const testFiles = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, {recursive: true})
        .map(String)
        .filter((f) => f.endsWith('.test.ts'))
        .sort()
        .map((f) => join(dir, f))
    : [];

function nodeTests(name, files, env = {}) {
  if (files.length === 0) return;
  const tap = join(work, `${name}.tap`);
  const ok = run(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=1',
      // A hung test (or test file) fails after 3 minutes instead of holding CI until its own limit.
      '--test-timeout=180000',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    env,
  );
  const log = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const pass = Number(log.match(/^# pass (\d+)/m)?.[1] ?? 0);
  const fail = Number(log.match(/^# fail (\d+)/m)?.[1] ?? 0);
  total.passed += pass;
  total.failed += fail || (ok ? 0 : 1);
}

function step(label, ok) {
  console.log(`${ok ? '✔' : '✖'} ${label}`);
  if (ok) total.passed++;
  else total.failed++;
  return ok;
}

const needsBrowser = stages.includes('browser') || stages.includes('e2e');
if (needsBrowser)
  step(
    `browsers are installed (${selectedEngines().join(', ')})`,
    run(process.execPath, ['scripts/ensure-browsers.mjs']),
  );

for (const stage of stages) {
  console.log(`\n== ${stage}`);
  if (stage === 'check') {
    step(
      'typecheck (tsc, strict)',
      run(bin('tsc'), ['-p', 'tsconfig.json']) && run(bin('tsc'), ['-p', 'tsconfig.node.json']),
    );
    step('lint (eslint)', run(bin('eslint'), ['.']));
    step('format (prettier --check)', run(bin('prettier'), ['--check', '--log-level=warn', '.']));
  } else if (stage === 'node') {
    // test/server/proxy-redis.test.ts starts its own redis-server: install it first when missing.
    step('redis-server is installed', run(process.execPath, ['scripts/ensure-redis.mjs']));
    nodeTests('node', testFiles('test/server'));
  } else if (stage === 'browser') {
    const summary = join(work, 'wtr.json');
    const ok = run(bin('web-test-runner'), [], {BWP_WTR_SUMMARY: summary});
    const counts = existsSync(summary) ? JSON.parse(readFileSync(summary, 'utf8')) : {passed: 0, failed: 1};
    total.passed += counts.passed;
    total.failed += counts.failed || (ok ? 0 : 1);
  } else if (stage === LONG) {
    // The soak (test/long) and the property tests at 1,000,000 runs in all (BWP_FC_RUNS, seed 20261122).
    const properties = testFiles('test/server').filter((f) =>
      /(^|\/)(property-[^/]*|normalize)\.test\.ts$/.test(f),
    );
    nodeTests(LONG, [...testFiles('test/long'), ...properties], {BWP_FC_RUNS: '1000000'});
  } else if (stage === 'e2e') {
    // The end-to-end tests load the built CDN bundle, as a merchant's page does.
    if (step('build (vite)', run('npm', ['run', '-s', 'build']))) nodeTests('e2e', testFiles('test/e2e'));
  }
}

console.log(`\n${stages.join(' + ')} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed === 0 ? 0 : 1);
