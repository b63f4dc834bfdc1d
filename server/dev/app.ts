// The demo stack on one origin: demo pages, the CDN bundle, the proxy (/bwp), the sandbox (/sandbox) and the
// demo merchant backend that places orders (/demo/orders; never part of the public proxy).
import {serveStatic} from '@hono/node-server/serve-static';
import {Hono} from 'hono';
import {proxyOptionsFromEnv} from '../proxy/config.ts';
import {serveFetch, type NodeConnection, type NodeServer} from '../proxy/node.ts';
import {createProxy} from '../proxy/proxy.ts';
import {createRateLimiter} from '../proxy/rate-limit.ts';
import {createSandbox, sandboxUpstream, type SandboxOptions} from '../sandbox/sandbox.ts';
import {STRICT_CSP} from './csp.ts';
import {createDemoOrders} from './orders.ts';

export interface DevServerOptions {
  port?: number;
  host?: string;
  env?: NodeJS.ProcessEnv;
  sandbox?: SandboxOptions;
}

export type DevServer = NodeServer;

export function createDevApp(options: DevServerOptions = {}) {
  const sandbox = createSandbox(options.sandbox);
  const proxy = createProxy({
    ...proxyOptionsFromEnv(options.env ?? {}, () => sandboxUpstream(sandbox)),
    // Every demo page, test and benchmark comes from 127.0.0.1: one client to the limiter.
    rateLimiter: createRateLimiter({limit: 100_000}),
    shopperRateLimiter: false,
  });
  const app = new Hono<{Bindings: NodeConnection}>();

  app.all('/bwp/*', (c) => proxy(c.req.raw, {clientIp: c.env.clientIp, origins: c.env.origins}));
  app.all('/sandbox/*', (c) => {
    const url = new URL(c.req.url);
    url.pathname = url.pathname.slice('/sandbox'.length);
    return sandbox(new Request(url, c.req.raw));
  });
  const orders = createDemoOrders({sandbox});
  app.all('/demo/orders', (c) => orders(c.req.raw));
  app.all('/demo/orders/*', (c) => orders(c.req.raw));
  app.use('/csp.html', async (c, next) => {
    await next();
    c.res.headers.set('content-security-policy', STRICT_CSP);
  });
  app.use('/dist/*', serveStatic({root: './'}));
  app.use('/*', serveStatic({root: './demo'}));
  return app;
}

/** Starts the demo stack; port 0 picks a free port. */
export function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  return serveFetch(createDevApp(options).fetch, {port: options.port ?? 0, hostname: options.host});
}
