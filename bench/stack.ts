// The stack the browser benchmarks run against: pages, the built bundle, the proxy and the sandbox on one
// 127.0.0.1 port, with counters of the proxy's upstream and token calls.
import {serveStatic} from '@hono/node-server/serve-static';
import {Hono} from 'hono';
import {serveFetch, type NodeConnection} from '../server/proxy/node.ts';
import {createProxy, type ProxyOptions} from '../server/proxy/proxy.ts';
import {createSandbox, SANDBOX_DEFAULTS} from '../server/sandbox/sandbox.ts';

export interface Stack {
  url: string;
  counts: {graphql: number; token: number};
  close(): Promise<void>;
}

export async function startStack(proxyOptions: Partial<ProxyOptions> = {}): Promise<Stack> {
  const sandbox = createSandbox();
  const counts = {graphql: 0, token: 0};
  const proxy = createProxy({
    apiUrl: 'http://sandbox.invalid/graphql',
    tokenUrl: 'http://sandbox.invalid/token',
    ...SANDBOX_DEFAULTS,
    // The benchmarks play many shoppers from one address: no per-IP limit.
    rateLimiter: false,
    fetch: (input, init) => {
      const request = new Request(input, init);
      if (request.url.endsWith('/token')) counts.token++;
      else counts.graphql++;
      return sandbox(request);
    },
    ...proxyOptions,
  } as ProxyOptions);
  const app = new Hono<{Bindings: NodeConnection}>();
  app.all('/bwp/*', (c) => proxy(c.req.raw, {clientIp: c.env.clientIp}));
  app.use('/dist/*', serveStatic({root: './'}));
  app.use(
    '/bench/*',
    serveStatic({root: './', rewriteRequestPath: (path) => path.replace(/^\/bench/, '/bench/fixtures')}),
  );
  app.use('/*', serveStatic({root: './demo'}));
  const served = await serveFetch(app.fetch);
  return {url: served.url, counts, close: served.close};
}
