// The packages as a merchant gets them: `npm pack` of each, installed from the tarballs into fresh projects,
// and the proxy's mounts (the bwp-proxy command, and the code blocks of docs/deploy-proxy.md, extracted and
// run as written) serving the sandbox. Needs the build (`npm run build`); installs from npm's cache first.
import assert from 'node:assert/strict';
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {pathToFileURL} from 'node:url';
import type {NodeServer} from '../../server/proxy/node.ts';
import {lambdaEvent, offeredSkus, productOffersBody, sandboxEnv, SKU, startSandbox} from './merchant.ts';

const ROOT = resolve('.');
const DOC = 'docs/deploy-proxy.md';

/** The fenced blocks of the document whose info string names a file: ```js file=server.mjs */
export function namedBlocks(markdown: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const match of markdown.matchAll(/^```\w+ file=(\S+)\n([\s\S]*?)^```$/gm))
    blocks.set(match[1]!, match[2]!);
  return blocks;
}

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, {cwd, encoding: 'utf8'});
  assert.equal(result.status, 0, `${command} ${args.join(' ')}: ${result.stdout}${result.stderr}`);
  return result.stdout;
}

interface Packed {
  name: string;
  filename: string;
  size: number;
  unpackedSize: number;
  files: {path: string}[];
}

/** `npm pack` into `into`, of the root package or of a workspace. */
function pack(into: string, workspace?: string): Packed {
  const args = ['pack', '--json', '--ignore-scripts', '--pack-destination', into];
  return JSON.parse(run('npm', workspace ? [...args, '--workspace', workspace] : args, ROOT))[0];
}

/** A fresh project with `specs` installed; the npm cache first, the registry only for what it lacks. */
function project(parent: string, name: string, specs: string[]): string {
  const dir = join(parent, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({name, private: true, type: 'module'}));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...specs], dir);
  return dir;
}

/** Installed package names, from the project's lockfile. */
function installed(dir: string): string[] {
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
  return Object.keys(lock.packages)
    .filter((path) => path.startsWith('node_modules/'))
    .map((path) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
}

/** Starts a process and resolves with it and its first stderr line matching `ready`. */
function start(
  command: string,
  args: string[],
  options: {cwd: string; env: Record<string, string>; ready: RegExp},
): Promise<{child: ChildProcess; match: RegExpMatchArray}> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: {PATH: process.env.PATH!, ...options.env},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((done, fail) => {
    let err = '';
    child.stderr!.on('data', (chunk) => {
      err += chunk;
      const match = err.match(options.ready);
      if (match) done({child, match});
    });
    child.once('exit', (code) => fail(new Error(`${command} exited ${code}: ${err}`)));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<void>((done) => {
    // 'close', not 'exit': by then its stdout is read to the end.
    if (child.exitCode !== null && child.stdout?.readableEnded !== false) return done();
    child.once('close', () => done());
    child.kill('SIGTERM');
  });

/** A port no one listens on now, for programs that take PORT and print no URL of their own. */
function freePort(): Promise<number> {
  const server = createServer();
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as AddressInfo;
      server.close(() => done(port));
    }),
  );
}

const post = (url: string) =>
  fetch(`${url}/bwp/graphql`, {
    method: 'POST',
    headers: {'content-type': 'application/json'},
    body: productOffersBody(),
  });

describe('the packages installed from their tarballs (npm pack), as a merchant does', () => {
  let work: string;
  let elements: Packed;
  let proxy: Packed;
  let elementsProject: string;
  let merchant: string;
  let sandbox: NodeServer;
  const children: ChildProcess[] = [];
  const blocks = namedBlocks(readFileSync(DOC, 'utf8'));

  before(async () => {
    for (const built of ['dist/npm/index.js', 'packages/proxy/dist/server/proxy/index.js'])
      assert.ok(existsSync(built), `${built} is missing: run npm run build first`);
    work = mkdtempSync(join(tmpdir(), 'bwp-install-'));
    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    elements = pack(tarballs);
    proxy = pack(tarballs, 'packages/proxy');
    elementsProject = project(work, 'elements-shop', [join(tarballs, elements.filename)]);
    merchant = project(work, 'proxy-shop', [join(tarballs, proxy.filename), 'express@5']);
    for (const [file, code] of blocks) writeFileSync(join(merchant, file), code);
    sandbox = await startSandbox();
  });
  after(async () => {
    await Promise.all(children.map(stop));
    await sandbox?.close();
    if (work) rmSync(work, {recursive: true, force: true});
  });

  it('installs the elements with Lit only: no server dependency', () => {
    const names = installed(elementsProject);
    assert.ok(names.includes('lit') && names.includes('@bwp/storefront-elements'), String(names));
    assert.ok(elements.files.some((f) => f.path === 'dist/npm/index.js'));
    const server = names.filter((n) => /^(hono|@hono\/|graphql|express|ipaddr\.js|@bwp\/proxy)/.test(n));
    assert.deepEqual(server, []);
  });

  it('installs the proxy with no Lit, no browser code and no sandbox', () => {
    const names = installed(merchant);
    assert.ok(names.includes('hono') && names.includes('@bwp/proxy'), String(names));
    assert.deepEqual(
      names.filter((n) => /^(lit|lit-|@lit\/|@bwp\/storefront-elements)/.test(n)),
      [],
    );
    const files = proxy.files.map((f) => f.path);
    assert.ok(files.includes('dist/server/proxy/index.d.ts'), String(files));
    assert.deepEqual(
      files.filter((f) => /(^|\/)(sandbox|components|cdn|test)\/|\.ts$(?<!\.d\.ts)/.test(f)),
      [],
    );
    for (const file of files.filter((f) => f.endsWith('.js')))
      assert.ok(files.includes(file.replace(/\.js$/, '.d.ts')), `${file} has no declarations`);
  });

  it('documents the install command and a file for each mount', () => {
    assert.match(readFileSync(DOC, 'utf8'), /^npm install @bwp\/proxy$/m);
    assert.deepEqual([...blocks.keys()].sort(), ['express.mjs', 'handler.mjs', 'server.mjs', 'worker.mjs']);
  });

  it('bwp-proxy with no upstream says which variables are missing, and exits with a configuration error', () => {
    const result = spawnSync(join(merchant, 'node_modules', '.bin', 'bwp-proxy'), [], {
      cwd: merchant,
      env: {PATH: process.env.PATH!},
      encoding: 'utf8',
    });
    assert.equal(result.status, 78, result.stderr);
    assert.match(
      result.stderr,
      /^bwp-proxy: missing_env: set BWP_API_URL, BWP_TOKEN_URL, BWP_CLIENT_ID, BWP_CLIENT_SECRET, BWP_TARGET_ID /,
    );
    assert.match(result.stderr, /no sandbox/);
  });

  it('bwp-proxy with a malformed variable names it, and exits with a configuration error', () => {
    const result = spawnSync(join(merchant, 'node_modules', '.bin', 'bwp-proxy'), [], {
      cwd: merchant,
      env: {PATH: process.env.PATH!, ...sandboxEnv(sandbox.url), BWP_ALLOWED_ORIGINS: 'shop.example'},
      encoding: 'utf8',
    });
    assert.equal(result.status, 78, result.stderr);
    assert.match(
      result.stderr,
      /^bwp-proxy: invalid_env: BWP_ALLOWED_ORIGINS: "shop.example" is not an origin/,
    );
  });

  it('bwp-proxy serves a product request from the sandbox, and logs it as one JSON line', async () => {
    const {child, match} = await start(join(merchant, 'node_modules', '.bin', 'bwp-proxy'), [], {
      cwd: merchant,
      env: {...sandboxEnv(sandbox.url), PORT: '0'},
      ready: /listening on (http:\/\/\S+)\/bwp\/graphql/,
    });
    children.push(child);
    const lines: string[] = [];
    child.stdout!.on('data', (chunk) => lines.push(...String(chunk).split('\n').filter(Boolean)));
    const response = await post(match[1]!);
    const body = await response.text();
    assert.equal(response.status, 200, body);
    assert.deepEqual(offeredSkus(body), [SKU]);
    await stop(child);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.equal(JSON.parse(lines[0]!).status, 200);
  });

  it('the Node server of the docs (server.mjs) serves a product request', async () => {
    const {child, match} = await start(process.execPath, ['server.mjs'], {
      cwd: merchant,
      env: {...sandboxEnv(sandbox.url), PORT: '0'},
      ready: /proxy on (http:\/\/\S+)\/bwp\/graphql/,
    });
    children.push(child);
    const response = await post(match[1]!);
    assert.deepEqual(offeredSkus(await response.text()), [SKU]);
  });

  it("the Express app of the docs (express.mjs) serves a product request next to the shop's own route", async () => {
    const port = await freePort();
    const {child, match} = await start(process.execPath, ['express.mjs'], {
      cwd: merchant,
      env: {...sandboxEnv(sandbox.url), PORT: String(port)},
      ready: /shop on (http:\/\/\S+)/,
    });
    children.push(child);
    const response = await post(match[1]!);
    assert.deepEqual(offeredSkus(await response.text()), [SKU]);
    assert.equal(await (await fetch(match[1]!)).text(), 'the shop');
  });

  it('the Worker module of the docs (worker.mjs) serves a product request, its token kept in KV', async () => {
    const kv = new Map<string, string>();
    const BWP_TOKENS = {
      get: async (key: string) => kv.get(key) ?? null,
      put: async (key: string, value: string) => void kv.set(key, value),
    };
    const worker = (await import(pathToFileURL(join(merchant, 'worker.mjs')).href)).default;
    const request = new Request('https://shop.example/bwp/graphql', {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: productOffersBody(),
    });
    const response: Response = await worker.fetch(request, {...sandboxEnv(sandbox.url), BWP_TOKENS}, {});
    assert.deepEqual(offeredSkus(await response.text()), [SKU]);
    assert.equal(kv.size, 1, 'the access token went to the KV namespace');
  });

  it('the Lambda handler of the docs (handler.mjs) answers an API Gateway event', async () => {
    Object.assign(process.env, sandboxEnv(sandbox.url));
    const {handler} = await import(pathToFileURL(join(merchant, 'handler.mjs')).href);
    const result = await handler(lambdaEvent(productOffersBody()), {});
    assert.equal(result.statusCode, 200, result.body);
    assert.deepEqual(offeredSkus(result.body), [SKU]);
  });

  it('compiles a TypeScript consumer against the installed declarations (nodenext)', () => {
    writeFileSync(
      join(merchant, 'consumer.ts'),
      [
        "import {createProxy, proxyOptionsFromEnv, type ProxyOptions, type TokenStore} from '@bwp/proxy';",
        "import {expressMiddleware, serveProxy} from '@bwp/proxy/node';",
        "import {createWorker, kvTokenStore} from '@bwp/proxy/worker';",
        "import {createLambdaHandler, handler} from '@bwp/proxy/lambda';",
        'const options: ProxyOptions = proxyOptionsFromEnv(process.env);',
        'const store: TokenStore | undefined = options.tokenStore;',
        'const proxy = createProxy({...options, tokenStore: store});',
        'export const all = [serveProxy(proxy), expressMiddleware(proxy), createLambdaHandler(proxy), handler];',
        'export default createWorker({tokenStore: (env) => kvTokenStore(env.KV as never)});',
        '// @ts-expect-error: a typo the declarations catch',
        'createProxy({apiUrl: 1});',
        '',
      ].join('\n'),
    );
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
    const types = ['--types', 'node', '--typeRoots', join(ROOT, 'node_modules', '@types')];
    const result = spawnSync(tsc, [...args, ...types, '--skipLibCheck', 'consumer.ts'], {
      cwd: merchant,
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });

  it('records the tarball sizes and dependency counts', (t) => {
    const counts = {elements: installed(elementsProject).length, proxy: proxyDependencies(merchant)};
    t.diagnostic(
      `${elements.name}: ${elements.size} B packed, ${elements.unpackedSize} B unpacked, ${counts.elements} packages installed; ` +
        `${proxy.name}: ${proxy.size} B packed, ${proxy.unpackedSize} B unpacked, ${counts.proxy} packages installed`,
    );
    assert.ok(counts.proxy > 1 && counts.elements > 1);
  });
});

/** Packages installed for @bwp/proxy itself (the merchant project also holds express's), from the lockfile. */
function proxyDependencies(dir: string): number {
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
  const packages: Record<string, {dependencies?: Record<string, string>}> = lock.packages;
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const dep of Object.keys(packages[path]?.dependencies ?? {})) {
      // Node's lookup: the nearest node_modules holding it, from the dependent's own folder up.
      let at = path;
      while (!packages[`${at}/node_modules/${dep}`] && at.includes('/node_modules/'))
        at = at.slice(0, at.lastIndexOf('/node_modules/'));
      const found = packages[`${at}/node_modules/${dep}`]
        ? `${at}/node_modules/${dep}`
        : `node_modules/${dep}`;
      visit(found);
    }
  };
  visit('node_modules/@bwp/proxy');
  return seen.size;
}
