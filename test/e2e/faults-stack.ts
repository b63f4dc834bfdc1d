// The stack the fault and hostile-content suites drive: a host page, the built bundle and the proxy on one
// 127.0.0.1 port, the sandbox on another (real HTTP, so deadlines abort real sockets); the proxy reaches the
// sandbox through a counting fetch, and a test can delay, rewrite or break the sandbox's answers.
import {Hono} from 'hono';
import {readFileSync} from 'node:fs';
import {createServer as createNetServer, type AddressInfo} from 'node:net';
import type {Page} from 'playwright-core';
import {serveFetch, type NodeConnection} from '../../server/proxy/node.ts';
import {createProxy, type ProxyHandler, type ProxyOptions} from '../../server/proxy/proxy.ts';
import {createSandbox, SANDBOX_DEFAULTS, type SandboxOptions} from '../../server/sandbox/sandbox.ts';
import {ADDRESS} from '../fixtures/address.ts';
import {CAPTURE_PATH, CAPTURE_SCRIPT, withCapture} from './capture.ts';

export type ElementName = 'badge' | 'summary' | 'checkout';

export const PRIME_SHOPPER_TOKEN =
  'eyJ0eXBlIjoiQUNDRVNTX1RPS0VOIiwidmFsdWUiOiJzYW5kYm94LW1vY2tlZC10ZXN0LXByaW1lLXNob3BwZXItYWNjZXNzLXRva2VuIn0=';

const MARKUP: Record<ElementName, (quantity: number) => string> = {
  badge: (q) =>
    `<bwp-delivery-badge sku="example-sku-1" quantity="${q}">Free delivery for members</bwp-delivery-badge>`,
  summary: (q) =>
    `<bwp-offer-summary sku="example-sku-1" quantity="${q}">Free delivery and returns</bwp-offer-summary>`,
  checkout: (q) =>
    `<bwp-checkout-offers><bwp-line-item sku="example-sku-1" quantity="${q}"></bwp-line-item>` +
    '<bwp-line-item sku="example-sku-2" quantity="2"></bwp-line-item></bwp-checkout-offers>',
};

export const TAGS: Record<ElementName, string> = {
  badge: 'bwp-delivery-badge',
  summary: 'bwp-offer-summary',
  checkout: 'bwp-checkout-offers',
};

/**
 * A merchant page holding the named elements for `quantity` of the Prime book (so that pages can tell their
 * requests apart upstream); `signedIn` sets the sandbox's Prime shopper token.
 */
function hostPage(elements: ElementName[], signedIn: boolean, quantity: number): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Merchant page</title></head>
<body>
<h1 id="merchant">Merchant product page</h1>
${elements.map((name) => MARKUP[name](quantity)).join('\n')}
<p id="after">Add to cart</p>
<script type="module">
  import {setShopperToken} from '/dist/cdn/bwp-elements.js';
  ${signedIn ? `setShopperToken(${JSON.stringify(PRIME_SHOPPER_TOKEN)});` : ''}
  const checkout = document.querySelector('bwp-checkout-offers');
  if (checkout) checkout.shippingAddress = {name: 'Jane Doe', streetAddress: '440 Terry Ave N',
    locality: 'Seattle', region: 'WA', postalCode: '98109', countryCode: 'US'};
</script>
</body>
</html>`;
}

export interface StackOptions {
  proxy?: Partial<ProxyOptions>;
  sandbox?: SandboxOptions;
  /**
   * The upstream server: `forward` is the sandbox; a test may delay, rewrite or break its answer. Called for
   * /token and /graphql alike.
   */
  upstream?: (
    request: Request,
    forward: (request: Request) => Promise<Response>,
    upstream: {
      /** Resolves when the stack closes: an answer held by the test must end by then. */
      closed: Promise<void>;
      /** Resets this request's connection (a TCP reset): the proxy gets no answer. */
      reset(): void;
    },
  ) => Promise<Response>;
}

export interface Stack {
  url: string;
  /** Upstream calls the proxy made since the last reset. */
  counts: {graphql: number; token: number};
  reset(): void;
  /** URL of a host page with these elements. */
  page(elements: ElementName[], options?: {signedIn?: boolean; quantity?: number}): string;
  close(): Promise<void>;
}

/** A proxy in front of a sandbox served on its own 127.0.0.1 port, reaching it through a counting fetch. */
export interface ProxyOverSandbox {
  proxy: ProxyHandler;
  /** Upstream calls the proxy made since the last reset. */
  counts: {graphql: number; token: number};
  reset(): void;
  close(): Promise<void>;
}

export async function startProxyOverSandbox(options: StackOptions = {}): Promise<ProxyOverSandbox> {
  const sandbox = createSandbox(options.sandbox);
  let close!: () => void;
  const closed = new Promise<void>((resolve) => (close = resolve));
  const upstream = await serveFetch((request, connection) =>
    options.upstream
      ? options.upstream(request, sandbox, {
          closed,
          reset: () => connection.incoming.socket.resetAndDestroy(),
        })
      : sandbox(request),
  );
  const counts = {graphql: 0, token: 0};
  const proxy = createProxy({
    apiUrl: `${upstream.url}/graphql`,
    tokenUrl: `${upstream.url}/token`,
    ...SANDBOX_DEFAULTS,
    rateLimiter: false,
    fetch: (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname === '/token') counts.token++;
      else counts.graphql++;
      return fetch(input, init);
    },
    ...options.proxy,
  } as ProxyOptions);
  return {
    proxy,
    counts,
    reset() {
      counts.graphql = 0;
      counts.token = 0;
    },
    close: () => {
      close();
      return upstream.close();
    },
  };
}

/**
 * The built files (the loader and what it imports) by path, read once: a rebuild of dist/ during the run
 * (another suite, a watcher) cannot break a page.
 */
export function builtFiles(): Map<string, string> {
  return new Map(
    Object.keys(JSON.parse(readFileSync('dist/cdn/manifest.json', 'utf8')).files).map((file) => [
      `/dist/cdn/${file}`,
      readFileSync(`dist/cdn/${file}`, 'utf8'),
    ]),
  );
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const upstream = await startProxyOverSandbox(options);
  const app = new Hono<{Bindings: NodeConnection}>();
  app.all('/bwp/*', (c) => upstream.proxy(c.req.raw, {clientIp: c.env.clientIp}));
  app.get('/host.html', (c) => {
    const names = (c.req.query('elements') ?? '').split(',').filter((n): n is ElementName => n in MARKUP);
    const quantity = Number(c.req.query('quantity') ?? 1);
    return c.html(hostPage(names, c.req.query('signed-in') === '1', quantity));
  });
  const files = builtFiles();
  app.get('/dist/cdn/*', (c) => {
    const file = files.get(c.req.path);
    return file === undefined ? c.notFound() : c.body(file, 200, {'content-type': 'text/javascript'});
  });
  const front = await serveFetch(app.fetch);
  return {
    url: front.url,
    counts: upstream.counts,
    reset: () => upstream.reset(),
    page: (elements, {signedIn = false, quantity = 1} = {}) =>
      `${front.url}/host.html?elements=${elements.join(',')}&quantity=${quantity}${signedIn ? '&signed-in=1' : ''}`,
    async close() {
      await front.close();
      await upstream.close();
    },
  };
}

/** Events and errors seen by the page itself, recorded from before its first script runs. */
export async function watchPage(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as {
      __bwp: {events: Array<{type: string; tag: string; code?: string}>; errors: string[]};
    };
    w.__bwp = {events: [], errors: []};
    for (const type of ['bwp-load', 'bwp-error'])
      document.addEventListener(type, (event) =>
        w.__bwp.events.push({
          type,
          tag: (event.target as Element).localName,
          code: (event as CustomEvent<{code?: string}>).detail?.code,
        }),
      );
    addEventListener('error', (event) => w.__bwp.errors.push(`error: ${event.message}`));
    addEventListener('unhandledrejection', (event) =>
      w.__bwp.errors.push(`unhandledrejection: ${String(event.reason)}`),
    );
  });
  const uncaught: string[] = [];
  const consoleErrors: Array<{text: string; url: string}> = [];
  page.on('pageerror', (error) => uncaught.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push({text: message.text(), url: message.location().url});
  });
  return {uncaught, consoleErrors};
}

/** Resolves when every element of the page left `loading` and announced it (empty ones announce nothing). */
export function settled(page: Page, tags: string[], timeout = 15_000) {
  return page.waitForFunction(
    (tags) => {
      const w = window as unknown as {__bwp: {events: Array<{tag: string}>}};
      return tags.every((tag) => {
        const el = document.querySelector(tag);
        const state = el?.getAttribute('state');
        if (!state || state === 'loading') return false;
        return state === 'empty' || w.__bwp.events.some((e) => e.tag === tag);
      });
    },
    tags,
    {timeout},
  );
}

// ---- The fault matrix's stack, the same for every engine: faults are made by the servers, not the browser.

/** One row's faults (see fault-rows.ts): the sandbox's, the upstream answer's, the proxy's options, the connection's. */
export interface MatrixRow extends StackOptions {
  connection?: 'reset' | 'refused';
}

/** One element of one row: its own proxy, sandbox and endpoint, so that its counts are its own. */
export interface MatrixCell {
  /** The element's `endpoint` attribute. */
  endpoint: string;
  /** POSTs that reached the server on this endpoint (none when nothing listens). */
  posts: number;
  /** Upstream calls its proxy made. */
  counts: {graphql: number; token: number};
}

export interface Matrix {
  url: string;
  /** URL of the merchant page of a row: the three elements, each on its own cell's endpoint. */
  page(row: number): string;
  cell(row: number, name: ElementName): MatrixCell;
  close(): Promise<void>;
}

/** Records bwp-load and bwp-error (tag, code) and counts fetch calls by URL, from before any other script. */
const RECORDER = `(() => {
  const seen = (window.__bwp = {events: [], fetches: {}});
  for (const type of ['bwp-load', 'bwp-error'])
    document.addEventListener(type, (event) =>
      seen.events.push({type, tag: event.target.localName, code: event.detail && event.detail.code}));
  const original = window.fetch;
  window.fetch = function (input, init) {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href).href;
    seen.fetches[url] = (seen.fetches[url] || 0) + 1;
    return original.call(this, input, init);
  };
})();`;

function matrixPage(endpoints: Record<ElementName, string>): string {
  const attribute = (name: ElementName) => `endpoint="${endpoints[name]}"`;
  return withCapture(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Merchant page</title>
<script>${RECORDER}</script></head>
<body>
<h1 id="merchant">Merchant product page</h1>
<bwp-delivery-badge ${attribute('badge')} sku="example-sku-1">Free delivery for members</bwp-delivery-badge>
<bwp-offer-summary ${attribute('summary')} sku="example-sku-1">Free delivery and returns</bwp-offer-summary>
<bwp-checkout-offers ${attribute('checkout')}><bwp-line-item sku="example-sku-1" quantity="1"></bwp-line-item><bwp-line-item sku="example-sku-2" quantity="2"></bwp-line-item></bwp-checkout-offers>
<p id="after">Add to cart</p>
<script type="module">
  import '/dist/cdn/bwp-elements.js';
  document.querySelector('bwp-checkout-offers').shippingAddress = ${JSON.stringify(ADDRESS)};
</script>
</body>
</html>`);
}

/** A 127.0.0.1 port nothing listens on (it was free a moment ago, and nothing here listens on it again). */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The pages, the built bundle and one proxy per cell (row × element) on one 127.0.0.1 port, each proxy in front
 * of its own sandbox. A cell of a `reset` row has its connection reset by this server on every request; a cell
 * of a `refused` row points at a port nothing listens on.
 */
export async function startMatrix(rows: readonly MatrixRow[]): Promise<Matrix> {
  const names = Object.keys(TAGS) as ElementName[];
  const proxies = await Promise.all(
    rows.map((row) => Promise.all(names.map(() => startProxyOverSandbox(row)))),
  );
  const refused = `http://127.0.0.1:${await closedPort()}`;
  const cells = rows.map((row, r) =>
    names.map((name, n): MatrixCell => ({
      // Its own path even where nothing listens: elements on one endpoint would share their requests.
      endpoint: `${row.connection === 'refused' ? refused : ''}/cell/${r}/${name}/bwp/graphql`,
      posts: 0,
      counts: proxies[r]![n]!.counts,
    })),
  );
  const files = builtFiles();
  const front = await serveFetch(async (request, connection) => {
    const {pathname} = new URL(request.url);
    const answer = await (async () => {
      const page = pathname.match(/^\/row\/(\d+)\.html$/);
      if (page && cells[Number(page[1])])
        return new Response(
          matrixPage(
            Object.fromEntries(
              names.map((name, n) => [name, cells[Number(page[1])]![n]!.endpoint]),
            ) as Record<ElementName, string>,
          ),
          {headers: {'content-type': 'text/html; charset=utf-8'}},
        );
      if (pathname === CAPTURE_PATH)
        return new Response(CAPTURE_SCRIPT, {headers: {'content-type': 'text/javascript'}});
      const file = files.get(pathname);
      if (file !== undefined) return new Response(file, {headers: {'content-type': 'text/javascript'}});
      const cell = pathname.match(/^\/cell\/(\d+)\/(\w+)\/bwp\/graphql$/);
      const r = Number(cell?.[1]);
      const n = names.indexOf(cell?.[2] as ElementName);
      if (!cell || !rows[r] || n < 0) return new Response('not found', {status: 404});
      if (request.method === 'POST') cells[r]![n]!.posts++;
      if (rows[r].connection === 'reset') {
        // A TCP reset, not a clean close: the page's fetch fails as on a real network fault.
        connection.incoming.socket.resetAndDestroy();
        return new Response(null, {status: 500});
      }
      const body = request.method === 'POST' ? await request.arrayBuffer() : undefined;
      return proxies[r]![n]!.proxy(
        new Request(new URL('/bwp/graphql', request.url), {
          method: request.method,
          headers: request.headers,
          body,
        }),
        {clientIp: connection.clientIp, origins: connection.origins},
      );
    })();
    // One request per connection: a browser silently resends a request that fails on a reused keep-alive
    // connection, which would double the reset row's requests.
    const headers = new Headers(answer.headers);
    headers.set('connection', 'close');
    return new Response(answer.body, {status: answer.status, headers});
  });
  return {
    url: front.url,
    page: (row) => `${front.url}/row/${row}.html`,
    cell: (row, name) => cells[row]![names.indexOf(name)]!,
    async close() {
      await front.close();
      await Promise.all(proxies.flat().map((proxy) => proxy.close()));
    },
  };
}
