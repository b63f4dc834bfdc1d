// The stack the fault and hostile-content suites drive: a host page, the built bundle and the proxy on one
// 127.0.0.1 port, the sandbox on another (real HTTP, so deadlines abort real sockets); the proxy reaches the
// sandbox through a counting fetch, and a test can delay, rewrite or break the sandbox's answers.
import {Hono} from 'hono';
import {readFileSync} from 'node:fs';
import type {Page} from 'playwright-core';
import {serveFetch, type NodeConnection} from '../../server/proxy/node.ts';
import {createProxy, type ProxyOptions} from '../../server/proxy/proxy.ts';
import {createSandbox, SANDBOX_DEFAULTS, type SandboxOptions} from '../../server/sandbox/sandbox.ts';

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
  upstream?: (request: Request, forward: (request: Request) => Promise<Response>) => Promise<Response>;
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

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const sandbox = createSandbox(options.sandbox);
  const upstream = await serveFetch((request) =>
    options.upstream ? options.upstream(request, sandbox) : sandbox(request),
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
  const app = new Hono<{Bindings: NodeConnection}>();
  app.all('/bwp/*', (c) => proxy(c.req.raw, {clientIp: c.env.clientIp}));
  app.get('/host.html', (c) => {
    const names = (c.req.query('elements') ?? '').split(',').filter((n): n is ElementName => n in MARKUP);
    const quantity = Number(c.req.query('quantity') ?? 1);
    return c.html(hostPage(names, c.req.query('signed-in') === '1', quantity));
  });
  // The built files (the loader and what it imports), read once: a rebuild of dist/ during the run
  // (another suite, a watcher) cannot break a page.
  const files = new Map(
    Object.keys(JSON.parse(readFileSync('dist/cdn/manifest.json', 'utf8')).files).map((file) => [
      `/dist/cdn/${file}`,
      readFileSync(`dist/cdn/${file}`, 'utf8'),
    ]),
  );
  app.get('/dist/cdn/*', (c) => {
    const file = files.get(c.req.path);
    return file === undefined ? c.notFound() : c.body(file, 200, {'content-type': 'text/javascript'});
  });
  const front = await serveFetch(app.fetch);
  return {
    url: front.url,
    counts,
    reset() {
      counts.graphql = 0;
      counts.token = 0;
    },
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
