// The npm package as published: `npm pack` contents, publint, exports, side effects, types, docs/api.md tables
// tables and the React wrappers. Needs the build (`npm run build`, run first by the e2e stage of npm test).
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {extname, join, resolve} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {build} from 'esbuild';
import type {Browser, Page} from 'playwright-core';
import {launchChromium} from './browser.ts';

const ROOT = resolve('.');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const TAGS = ['bwp-delivery-badge', 'bwp-offer-summary', 'bwp-checkout-offers', 'bwp-line-item'];

/**
 * react-dom is not installed, so the React test page drives each wrapper's render function and layout
 * effects by hand, the way React commits a host component: hooks kept across renders, the ref
 * attached to the element, then the layout effects. Bundled with react and dist/npm/react.js.
 */
const REACT_HARNESS = `
import * as React from 'react';
export * from './dist/npm/react.js';
const internals = React.__CLIENT_INTERNALS_DO_NOT_USE_OR_WARN_USERS_THEY_CANNOT_UPGRADE;
export function mount(component) {
  const slots = [];
  let node = null;
  return (props) => {
    let i = 0;
    const effects = [];
    const changed = (deps) => !slots[i] || !deps || deps.some((d, k) => d !== slots[i].deps?.[k]);
    internals.H = {
      useRef: (initial) => (slots[i] ??= {current: initial}, slots[i++]),
      useCallback: (fn, deps) => (changed(deps) && (slots[i] = {fn, deps}), slots[i++].fn),
      useLayoutEffect: (fn, deps) => {
        if (changed(deps)) effects.push(fn);
        slots[i++] = {deps};
      },
    };
    let element;
    try {
      element = component.render(props, null);
    } finally {
      internals.H = null;
    }
    if (!node) document.body.append((node = document.createElement(element.type)));
    element.props.ref(node);
    effects.forEach((effect) => effect());
    return {node, element};
  };
}
`;

interface PackedFile {
  path: string;
  size: number;
}

/** `npm pack --dry-run --json`: what `npm publish` would upload. */
function packList(): {files: PackedFile[]; size: number; unpackedSize: number} {
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {encoding: 'utf8'});
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout)[0];
}

/** Every file an exports entry points to, with its conditions flattened. */
function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(exportTargets);
  return [];
}

describe('npm package (dist/npm, built)', () => {
  let packed: ReturnType<typeof packList>;
  let paths: Set<string>;

  before(() => {
    assert.ok(existsSync('dist/npm/index.js'), 'dist/npm is missing: run npm run build first');
    packed = packList();
    paths = new Set(packed.files.map((f) => f.path));
  });

  // Every package of the repository: the elements (the root) and each workspace (packages/proxy).
  for (const dir of ['.', ...(pkg.workspaces as string[])])
    it(`${dir === '.' ? pkg.name : dir} is publint-clean in strict mode`, () => {
      assert.ok(existsSync(join(dir, 'package.json')), `${dir} has no package.json`);
      const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'publint'), ['--strict'], {
        cwd: dir,
        encoding: 'utf8',
      });
      assert.equal(result.status, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /All good!/, result.stdout);
    });

  it('packs every exports target, the types and the manifest fields', () => {
    const targets = Object.values(pkg.exports).flatMap(exportTargets);
    assert.ok(targets.length >= 20, `only ${targets.length} export targets`);
    for (const target of targets) {
      const path = target.replace(/^\.\//, '');
      if (path.endsWith('*'))
        assert.ok(
          [...paths].some((p) => p.startsWith(path.slice(0, -1))),
          `nothing packed under ${target}`,
        );
      else assert.ok(paths.has(path), `${target} is exported but not packed`);
    }
    for (const field of ['main', 'types', 'customElements', 'web-types'])
      assert.ok(paths.has(pkg[field].replace(/^\.\//, '')), `${field}: ${pkg[field]} is not packed`);
    for (const file of paths)
      if (file.startsWith('dist/npm/') && file.endsWith('.js'))
        assert.ok(paths.has(file.replace(/\.js$/, '.d.ts')), `${file} has no declarations`);
  });

  it('packs the CDN files with their integrity manifest', () => {
    const manifest = JSON.parse(readFileSync('dist/cdn/manifest.json', 'utf8'));
    assert.ok(paths.has('dist/cdn/manifest.json'));
    for (const file of Object.keys(manifest.files)) assert.ok(paths.has(`dist/cdn/${file}`), file);
  });

  it('packs no sources, tests, server code, configuration or dependencies', () => {
    const allowed = /^(README\.md|package\.json|LICENSE|dist\/npm\/.+|dist\/cdn\/.+|docs\/.+\.md)$/;
    for (const file of paths) assert.match(file, allowed, `${file} should not be published`);
    for (const file of paths)
      assert.doesNotMatch(file, /(^|\/)(node_modules|test|server|src)\/|\.test\.|\.env/);
    // The proxy's credentials, and the sandbox's, stay on the server: no code that handles them ships.
    for (const file of packed.files.filter((f) => /^dist\/.+\.(js|json|ts)$/.test(f.path))) {
      const text = readFileSync(file.path, 'utf8');
      assert.ok(
        !/sandbox-secret|client_secret|BWP_CLIENT_SECRET|clientSecret/.test(text),
        `${file.path} names a secret`,
      );
    }
  });

  it('describes every element in custom-elements.json, and in the editor data', () => {
    const manifest = JSON.parse(readFileSync('dist/npm/custom-elements.json', 'utf8'));
    const declarations = manifest.modules.flatMap((m: {declarations?: unknown[]}) => m.declarations ?? []);
    const tagged = declarations.filter((d: {tagName?: string}) => d.tagName);
    assert.deepEqual(tagged.map((d: {tagName: string}) => d.tagName).sort(), [...TAGS].sort());
    const badge = tagged.find((d: {tagName: string}) => d.tagName === 'bwp-delivery-badge');
    assert.deepEqual(
      badge.events.map((e: {name: string}) => e.name),
      ['bwp-load', 'bwp-error', 'bwp-empty', 'bwp-impression'],
    );
    assert.ok(badge.attributes.some((a: {name: string}) => a.name === 'product-id'));
    assert.ok(badge.attributes.some((a: {name: string}) => a.name === 'debug'));
    assert.ok(badge.cssParts.some((p: {name: string}) => p.name === 'badge'));
    assert.ok(
      manifest.modules.every((m: {path: string}) => paths.has(m.path)),
      'every module path is a published file',
    );
    const vscode = JSON.parse(readFileSync('dist/npm/vscode.html-custom-data.json', 'utf8'));
    assert.deepEqual(vscode.tags.map((t: {name: string}) => t.name).sort(), [...TAGS].sort());
    const variant = vscode.tags
      .find((t: {name: string}) => t.name === 'bwp-delivery-badge')
      .attributes.find((a: {name: string}) => a.name === 'variant');
    assert.deepEqual(variant.values, [{name: 'inline'}, {name: 'compact'}]);
  });

  it('lists every module that defines a tag in sideEffects, so bundlers keep the registrations', () => {
    const manifest = JSON.parse(readFileSync('dist/npm/custom-elements.json', 'utf8'));
    const patterns = (pkg.sideEffects as string[]).map(
      (glob) =>
        new RegExp(
          `^${glob
            .replace(/^\.\//, '')
            .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
            .replace(/\*\*/g, '\0')
            .replace(/\*/g, '[^/]*')
            .replace(/\0/g, '.*')}$`,
        ),
    );
    const defining = manifest.modules
      .filter((m: {exports?: {kind: string}[]}) =>
        m.exports?.some((e) => e.kind === 'custom-element-definition'),
      )
      .map((m: {path: string}) => m.path);
    assert.equal(defining.length, 3);
    for (const path of [...defining, 'dist/npm/define.js', 'dist/npm/react.js'])
      assert.ok(
        patterns.some((p) => p.test(path)),
        `${path} is not in sideEffects`,
      );
    assert.ok(!patterns.some((p) => p.test('dist/npm/index.js')), 'the root module has no side effects');
  });

  it('has API tables in docs/api.md that match custom-elements.json', () => {
    const result = spawnSync(process.execPath, ['scripts/readme-api.mjs', '--check'], {encoding: 'utf8'});
    assert.equal(result.status, 0, result.stderr);
  });

  it('compiles a TypeScript consumer and a React TSX consumer against the published declarations', () => {
    // Node's own resolution (nodenext): the exports map, and .js specifiers inside the declarations.
    const result = spawnSync(join('node_modules', '.bin', 'tsc'), ['-p', 'test/types/tsconfig.json'], {
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });
});

describe('npm package in Chromium (the published modules, lit from node_modules)', () => {
  let server: Server;
  let origin: string;
  let browser: Browser;
  let reactBundle = '';

  const IMPORT_MAP = {
    imports: {
      lit: '/node_modules/lit/index.js',
      'lit/': '/node_modules/lit/',
      'lit-html': '/node_modules/lit-html/lit-html.js',
      'lit-html/': '/node_modules/lit-html/',
      'lit-element/': '/node_modules/lit-element/',
      '@lit/reactive-element': '/node_modules/@lit/reactive-element/reactive-element.js',
      '@lit/reactive-element/': '/node_modules/@lit/reactive-element/',
    },
  };
  const TYPES: Record<string, string> = {'.js': 'text/javascript', '.json': 'application/json'};

  before(async () => {
    // React is CommonJS: the wrapper test page gets one bundle of react + dist/npm/react.js.
    const bundled = await build({
      stdin: {
        contents: REACT_HARNESS,
        resolveDir: ROOT,
        loader: 'js',
      },
      bundle: true,
      format: 'esm',
      write: false,
      logLevel: 'silent',
      define: {'process.env.NODE_ENV': '"development"'},
    });
    reactBundle = bundled.outputFiles[0]!.text;
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/page.html') {
        response.writeHead(200, {'content-type': 'text/html'});
        response.end(
          `<!doctype html><html><head><link rel="icon" href="data:,"><script type="importmap">${JSON.stringify(IMPORT_MAP)}</script></head><body></body></html>`,
        );
        return;
      }
      if (url.pathname === '/react-bundle.js') {
        response.writeHead(200, {'content-type': 'text/javascript'});
        response.end(reactBundle);
        return;
      }
      const file = join(ROOT, url.pathname);
      const servable = /^\/(dist\/npm|node_modules\/(lit|lit-html|lit-element|@lit\/reactive-element))\//;
      if (!servable.test(url.pathname) || !file.startsWith(ROOT) || !existsSync(file)) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, {'content-type': TYPES[extname(file)] ?? 'application/octet-stream'});
      response.end(readFileSync(file));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await new Promise((done) => server?.close(done));
  });

  async function blankPage(): Promise<{page: Page; errors: string[]}> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // tsx compiles this file with keepNames: the functions passed to page.evaluate call __name.
    await page.addInitScript('globalThis.__name = (fn) => fn;');
    await page.goto(`${origin}/page.html`);
    return {page, errors};
  }

  const defined = (page: Page) =>
    page.evaluate((tags) => tags.filter((tag) => customElements.get(tag) !== undefined), TAGS);

  it('defines nothing when the root module is imported, then each path defines its own tags', async () => {
    const {page, errors} = await blankPage();
    const exported = await page.evaluate(async () => {
      const root = await import('/dist/npm/index.js' as string);
      return Object.keys(root).sort();
    });
    assert.ok(
      exported.includes('BwpDeliveryBadge') && exported.includes('setShopperToken'),
      String(exported),
    );
    assert.deepEqual(await defined(page), [], 'importing "." must not define any tag');

    await page.evaluate(() => import('/dist/npm/components/delivery-badge/define.js' as string));
    assert.deepEqual(await defined(page), ['bwp-delivery-badge']);
    await page.evaluate(() => import('/dist/npm/components/checkout-offers/define.js' as string));
    assert.deepEqual(await defined(page), ['bwp-delivery-badge', 'bwp-checkout-offers', 'bwp-line-item']);

    const sameClasses = await page.evaluate(async () => {
      const all = await import('/dist/npm/define.js' as string);
      return ['bwp-delivery-badge', 'bwp-offer-summary', 'bwp-checkout-offers'].map(
        (tag, i) =>
          customElements.get(tag) === all[['BwpDeliveryBadge', 'BwpOfferSummary', 'BwpCheckoutOffers'][i]!],
      );
    });
    assert.deepEqual(await defined(page), TAGS);
    assert.deepEqual(sameClasses, [true, true, true], '"./define" registers the classes "." exports');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('React wrappers set element properties and route bwp-* events to onBwp* props', async () => {
    const {page, errors} = await blankPage();
    const result = await page.evaluate(async () => {
      const {BwpDeliveryBadge, BwpCheckoutOffers, mount} = await import('/react-bundle.js' as string);
      const calls: string[] = [];
      const renderBadge = mount(BwpDeliveryBadge);
      const first = renderBadge({sku: 'A1', variant: 'compact', onBwpLoad: () => calls.push('first')});
      const badge = first.node as any;
      badge.dispatchEvent(new CustomEvent('bwp-load', {detail: {}}));
      renderBadge({sku: 'B2', variant: 'compact', onBwpLoad: () => calls.push('second')});
      badge.dispatchEvent(new CustomEvent('bwp-load', {detail: {}}));
      renderBadge({sku: 'B2'});
      badge.dispatchEvent(new CustomEvent('bwp-load', {detail: {}}));

      const lines = [{sku: 'TEE-NAVY-M', quantity: 2}];
      const checkout = mount(BwpCheckoutOffers)({
        lineItems: lines,
        endpoint: '/nowhere',
        onBwpChange: (event: CustomEvent) => calls.push(`change:${event.detail}`),
      }).node as any;
      checkout.dispatchEvent(new CustomEvent('bwp-change', {detail: 'sel'}));
      return {
        displayNames: [BwpDeliveryBadge.displayName, BwpCheckoutOffers.displayName],
        type: first.element.type,
        upgraded: badge instanceof customElements.get('bwp-delivery-badge')!,
        sku: badge.sku,
        variantProperty: badge.variant,
        lineItemsIsSameArray: checkout.lineItems === lines,
        calls,
      };
    });
    assert.deepEqual(result, {
      displayNames: ['BwpDeliveryBadge', 'BwpCheckoutOffers'],
      type: 'bwp-delivery-badge',
      upgraded: true,
      sku: 'B2',
      // A prop left out on a later render is unset.
      variantProperty: undefined,
      lineItemsIsSameArray: true,
      calls: ['first', 'second', 'change:sel'],
    });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
