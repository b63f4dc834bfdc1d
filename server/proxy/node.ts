// Node mounts of the proxy: a plain http listener, an Express middleware, and a server on a port.
import {getRequestListener, serve, type ServerType} from '@hono/node-server';
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {ProxyHandler} from './proxy.ts';

type NodeListener = (incoming: IncomingMessage, outgoing: ServerResponse) => Promise<void>;

/**
 * A `(req, res)` listener for node:http (or anything that takes one), passing the socket's peer address.
 * @example
 * http.createServer(toNodeListener(createProxy(options))).listen(8787);
 */
export function toNodeListener(proxy: ProxyHandler): NodeListener {
  return getRequestListener((request, env) =>
    proxy(request, {clientIp: (env.incoming as IncomingMessage).socket?.remoteAddress}),
  ) as NodeListener;
}

/**
 * Express (4 or 5) middleware answering /bwp/*; other paths go to `next()`. Mount it before any body
 * parser (express.json() would consume the body the proxy reads and caps itself).
 * @example
 * const app = express();
 * app.use(expressMiddleware(createProxy(options)));
 * app.set('trust proxy', false); // the proxy reads X-Forwarded-For itself (trustedProxies)
 */
export function expressMiddleware(proxy: ProxyHandler) {
  const listener = toNodeListener(proxy);
  return (
    req: IncomingMessage & {originalUrl?: string},
    res: ServerResponse,
    next: (error?: unknown) => void,
  ) => {
    const url = req.originalUrl ?? req.url ?? '/';
    if (!url.startsWith('/bwp/')) return next();
    // Express rewrites req.url under a mount path; the proxy routes on the full path.
    req.url = url;
    listener(req, res).catch(next);
  };
}

export interface NodeServer {
  url: string;
  server: ServerType;
  close(): Promise<void>;
}

/** What a served handler gets besides the request: the socket's peer address and the Node request. */
export interface NodeConnection {
  clientIp?: string;
  incoming: IncomingMessage;
}

export type FetchHandler = (request: Request, connection: NodeConnection) => Response | Promise<Response>;

/**
 * Serves a fetch handler (the proxy, the sandbox, a Hono app's `fetch`) on host:port; port 0 picks a free
 * one. `close()` also ends keep-alive connections.
 * @example
 * const {url, close} = await serveFetch(app.fetch, {port: 0});
 */
export function serveFetch(
  fetch: FetchHandler,
  options: {port?: number; hostname?: string} = {},
): Promise<NodeServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  return new Promise((resolve) => {
    const server = serve(
      {
        fetch: (request, env) => {
          const incoming = env.incoming as IncomingMessage;
          return fetch(request, {clientIp: incoming.socket?.remoteAddress, incoming});
        },
        port: options.port ?? 0,
        hostname,
      },
      (info: AddressInfo) =>
        resolve({
          url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${info.port}`,
          server,
          close: () =>
            new Promise((done) => {
              // Keep-alive sockets (a browser's, the proxy's own fetch) would hold the server open.
              (server as unknown as {closeAllConnections?: () => void}).closeAllConnections?.();
              server.close(() => done());
            }),
        }),
    );
  });
}

/**
 * Serves the proxy on host:port (port 0 picks a free one).
 * @example
 * const {url, close} = await serveProxy(createProxy(options), {port: 8787, hostname: '127.0.0.1'});
 */
export function serveProxy(
  proxy: ProxyHandler,
  options: {port?: number; hostname?: string} = {},
): Promise<NodeServer> {
  return serveFetch(proxy, {port: options.port ?? 8787, hostname: options.hostname});
}
