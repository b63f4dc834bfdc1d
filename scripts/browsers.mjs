// The three engines the tests run in, where Debian puts them, and how to start WebKit's driver.
// Playwright's own Firefox and WebKit builds cannot be downloaded here and Playwright cannot drive Debian's,
// so Firefox goes through puppeteer-core over WebDriver BiDi and WebKit through WebKitWebDriver (classic
// WebDriver) driving MiniBrowser under Xvfb.
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {createServer} from 'node:net';
import {chromiumPath} from './chromium.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

/** The engines to run: all three, or those named in BWP_BROWSERS (e.g. `BWP_BROWSERS=chromium`). */
export function selectedEngines() {
  const named = (process.env.BWP_BROWSERS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = named.filter((n) => !ENGINES.includes(n));
  if (unknown.length)
    throw new Error(
      `BWP_BROWSERS names unknown engines: ${unknown.join(', ')} (known: ${ENGINES.join(', ')})`,
    );
  return named.length ? ENGINES.filter((e) => named.includes(e)) : ENGINES;
}

export const firefoxPath = () => process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const webkitDriverPath = () => process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
export const miniBrowserPath = () =>
  process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
export const xvfbPath = () => process.env.XVFB_PATH ?? '/usr/bin/Xvfb';

/** What each engine needs on disk: the binaries, and the Debian package that brings them. */
export const REQUIREMENTS = {
  chromium: [{path: chromiumPath, pkg: 'chromium'}],
  firefox: [{path: firefoxPath, pkg: 'firefox-esr'}],
  webkit: [
    {path: webkitDriverPath, pkg: 'webkit2gtk-driver'},
    {path: miniBrowserPath, pkg: 'webkit2gtk-driver'},
    {path: xvfbPath, pkg: 'xvfb'},
  ],
};

/** Debian packages missing for the given engines. */
export const missingPackages = (engines) => [
  ...new Set(engines.flatMap((e) => REQUIREMENTS[e].filter((r) => !existsSync(r.path())).map((r) => r.pkg))),
];

/** puppeteer-core launch options for Firefox (WebDriver BiDi; no geckodriver needed). */
export const firefoxLaunchOptions = () => ({
  browser: 'firefox',
  protocol: 'webDriverBiDi',
  executablePath: firefoxPath(),
  headless: true,
  // A fixed locale, so that no test depends on the machine's.
  extraPrefsFirefox: {'intl.locale.requested': 'en-US', 'intl.accept_languages': 'en-US'},
});

const webkitLang = () => process.env.BWP_WEBKIT_LANG ?? 'en_US.UTF-8';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });

/** Resolves once something accepts connections on the port (the driver prints nothing when ready). */
async function waitForPort(port, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited with code ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/status`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`WebKitWebDriver did not answer on port ${port} within ${timeoutMs} ms`);
}

/** Starts Xvfb on a display of its choosing; resolves with the display and a stop function. */
function startXvfb() {
  return new Promise((resolve, reject) => {
    // -displayfd: Xvfb picks a free display and writes its number to fd 3 once it accepts connections.
    const child = spawn(xvfbPath(), ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdio[3].on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({display: `:${out.trim()}`, child});
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`Xvfb exited with code ${code}: ${err.trim()}`)));
  });
}

/**
 * Starts Xvfb and WebKitWebDriver; resolves with the driver's port, the capabilities for a MiniBrowser
 * session, and stop(). The caller stops them (also on its own exit, since the children are not detached).
 */
export async function startWebKitDriver() {
  const xvfb = await startXvfb();
  const port = await freePort();
  const driver = spawn(webkitDriverPath(), [`--port=${port}`, '--replace-on-new-session'], {
    stdio: 'ignore',
    // WebKit takes its language from the environment (under C.UTF-8 navigator.language is "C"). Tests set
    // the page language they assert on; BWP_WEBKIT_LANG=C.UTF-8 checks that they do.
    env: {...process.env, DISPLAY: xvfb.display, LANG: webkitLang(), LC_ALL: webkitLang()},
  });
  const stop = () => {
    driver.kill();
    xvfb.child.kill();
  };
  process.once('exit', stop);
  try {
    await waitForPort(port, driver);
  } catch (error) {
    stop();
    throw error;
  }
  return {
    port,
    stop,
    capabilities: {
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': {binary: miniBrowserPath(), args: ['--automation']},
      // WebKitWebDriver speaks classic WebDriver only.
      'wdio:enforceWebDriverClassic': true,
    },
  };
}
