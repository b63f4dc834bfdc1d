// The stack the browser benchmarks run against: pages, the built bundle, the proxy and the sandbox on one
// 127.0.0.1 port, with counters of the proxy's upstream and token calls.
import {serve} from '@hono/node-server';
import {serveStatic} from '@hono/node-server/serve-static';
import {Hono} from 'hono';
import type {AddressInfo} from 'node:net';
import {createProxy, type ProxyOptions} from '../server/proxy/proxy.ts';
import {createSandbox, SANDBOX_DEFAULTS} from '../server/sandbox/sandbox.ts';

export interface Stack {
  url: string;
  counts: {graphql: number; token: number};
  close(): Promise<void>;
}

export function startStack(proxyOptions: Partial<ProxyOptions> = {}): Promise<Stack> {
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
  const app = new Hono<{Bindings: {incoming: {socket: {remoteAddress?: string}}}}>();
  app.all('/bwp/*', (c) => proxy(c.req.raw, {clientIp: c.env.incoming.socket.remoteAddress}));
  app.use('/dist/*', serveStatic({root: './'}));
  app.use(
    '/bench/*',
    serveStatic({root: './', rewriteRequestPath: (path) => path.replace(/^\/bench/, '/bench/fixtures')}),
  );
  app.use('/*', serveStatic({root: './demo'}));
  return new Promise((resolve) => {
    const server = serve({fetch: app.fetch, port: 0, hostname: '127.0.0.1'}, (info: AddressInfo) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        counts,
        close: () =>
          new Promise((done) => {
            (server as unknown as {closeAllConnections?: () => void}).closeAllConnections?.();
            server.close(() => done());
          }),
      }),
    );
  });
}
