// Installs the Debian packages of the engines the tests run in (chromium, firefox-esr, webkit2gtk-driver,
// xvfb) when any is missing, as root with apt-get; otherwise says how. Only the engines in BWP_BROWSERS
// (all three by default) are needed.
import {spawnSync} from 'node:child_process';
import {missingPackages, selectedEngines} from './browsers.mjs';

const engines = selectedEngines();
const missing = missingPackages(engines);
if (missing.length > 0) {
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    console.error(
      `\nThe browser tests (${engines.join(', ')}) need the Debian packages ${missing.join(', ')}, ` +
        `and this user cannot install them.\nInstall them with: sudo ${command}\n` +
        'or run one engine only, e.g. BWP_BROWSERS=chromium npm test (CHROMIUM_PATH, FIREFOX_PATH, ' +
        'WEBKIT_DRIVER_PATH, MINIBROWSER_PATH and XVFB_PATH point at other binaries).\n',
    );
    process.exit(1);
  }
  console.log(`Installing ${missing.join(', ')} with apt-get for the browser tests (a minute or two)…`);
  const run = (args) =>
    spawnSync('apt-get', args, {stdio: 'inherit', env: {...process.env, DEBIAN_FRONTEND: 'noninteractive'}});
  const ok = run(['update', '-qq']).status === 0 && run(['install', '-y', '-qq', ...missing]).status === 0;
  const still = missingPackages(engines);
  if (!ok || still.length > 0) {
    console.error(`\napt-get could not install ${still.join(', ') || missing.join(', ')}.\n`);
    process.exit(1);
  }
}
