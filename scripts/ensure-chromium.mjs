// Installs Debian's Chromium when it is missing (as root, with apt-get); says clearly when it cannot.
// --optional: only warn on failure (npm start still serves the demo for any browser).
import {spawnSync} from 'node:child_process';
import {chromiumPath, hasChromium} from './chromium.mjs';

const optional = process.argv.includes('--optional');

function fail(message) {
  console.error(`\n${message}\n`);
  if (!optional) process.exit(1);
}

if (!hasChromium()) {
  if (optional) process.exit(0); // the demo needs no Chromium on this machine: any browser can open it
  const isRoot = process.getuid?.() === 0;
  if (process.env.CHROMIUM_PATH) {
    fail(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist.`);
  } else if (!isRoot) {
    fail(
      'Chromium is missing at /usr/bin/chromium and this user cannot install it.\n' +
        'Install it with: sudo apt-get update && sudo apt-get install -y chromium\n' +
        'or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    );
  } else {
    console.log("Chromium is missing: installing Debian's chromium with apt-get (about 30 s)…");
    const run = (args) =>
      spawnSync('apt-get', args, {
        stdio: 'inherit',
        env: {...process.env, DEBIAN_FRONTEND: 'noninteractive'},
      });
    const ok = run(['update', '-qq']).status === 0 && run(['install', '-y', '-qq', 'chromium']).status === 0;
    if (!ok || !hasChromium())
      fail(`apt-get could not install chromium; browser tests need ${chromiumPath()}.`);
  }
}
