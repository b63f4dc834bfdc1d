// Node mounts of the proxy: a plain http listener, an Express middleware, and a server on a port.
import {getRequestListener, serve, type ServerType} from '@hono/node-server';
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {canonicalAddress} from './client-address.ts';
import type {ConnectionInfo, ProxyHandler} from './proxy.ts';

type NodeListener = (incoming: IncomingMessage, outgoing: ServerResponse) => Promise<void>;

const originCache = new WeakMap<object, readonly string[]>();

/**
 * The origins a Node connection was certainly made to: `http://` + the address and port its socket was
 * accepted on (and `localhost` on loopback). Never the Host header, which any page can choose by DNS
 * rebinding. Behind TLS termination or under another name, the shop's origin is `publicOrigin`.
 */
export function socketOrigins(incoming: IncomingMessage): readonly string[] {
  const socket = incoming.socket;
  if (!socket) return [];
  const cached = originCache.get(socket);
  if (cached) return cached;
  const address = canonicalAddress(socket.localAddress);
  const port = socket.localPort === 80 ? '' : `:${socket.localPort}`;
  const origins: string[] = [];
  if (address) {
    const host = address.kind() === 'ipv6' ? `[${address.toString()}]` : address.toString();
    origins.push(`http://${host}${port}`);
    if (address.range() === 'loopback') origins.push(`http://localhost${port}`);
  }
  originCache.set(socket, origins);
  return origins;
}

/**
 * What the proxy needs to know about a Node request's connection: its peer, its own origins and, given the
 * response, when the client goes away.
 */
export function nodeConnection(incoming: IncomingMessage, outgoing?: ServerResponse): ConnectionInfo {
  const connection: ConnectionInfo = {
    clientIp: incoming.socket?.remoteAddress,
    origins: socketOrigins(incoming),
  };
  if (outgoing) connection.onGone = (listener) => whenGone(incoming, outgoing, listener);
  return connection;
}

/**
 * Calls `listener` once the client has gone away: by @hono/node-server's rule for aborting the request's
 * signal, the response closed before it was all written, or the request failed. One `close` listener, where
 * the signal costs an AbortController and its event machinery on every request.
 */
function whenGone(incoming: IncomingMessage, outgoing: ServerResponse, listener: () => void): () => void {
  const gone = () => Boolean(incoming.errored) || !outgoing.writableFinished;
  if (outgoing.closed) {
    if (gone()) listener();
    return () => undefined;
  }
  const onClose = () => {
    if (gone()) listener();
  };
  outgoing.once('close', onClose);
  return () => outgoing.off('close', onClose);
}

/**
 * A `(req, res)` listener for node:http (or anything that takes one), passing the socket's peer address.
 * @example
 * http.createServer(toNodeListener(createProxy(options))).listen(8787);
 */
export function toNodeListener(proxy: ProxyHandler): NodeListener {
  return getRequestListener((request, env) =>
    proxy(request, nodeConnection(env.incoming as IncomingMessage, env.outgoing as ServerResponse)),
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

/** What a served handler gets besides the request: the socket's peer address, own origins and the Node request. */
export interface NodeConnection extends ConnectionInfo {
  incoming: IncomingMessage;
}

export type FetchHandler = (request: Request, connection: NodeConnection) => Response | Promise<Response>;

/** How long a Node server waits for slow clients, and how many it holds at once. */
export interface ServerLimits {
  /** Whole request headers must arrive within this, in ms (default 10 s; at most requestTimeoutMs). */
  headersTimeoutMs?: number;
  /**
   * The whole request, body included, must arrive within this, in ms, or it gets 408 and the connection is
   * closed (default 10 s: a body of at most 16 KB that takes longer is a slow-client attack, not a shopper).
   */
  requestTimeoutMs?: number;
  /** An idle keep-alive connection is closed after this, in ms (default 5 s). */
  keepAliveTimeoutMs?: number;
  /** Connections held at once, at most; more are closed on arrival (default 1000). */
  maxConnections?: number;
}

export const DEFAULT_SERVER_LIMITS: Required<ServerLimits> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1000,
};

function serverLimits(given: ServerLimits): Required<ServerLimits> {
  const limits = {...DEFAULT_SERVER_LIMITS};
  for (const name of Object.keys(limits) as Array<keyof ServerLimits>) {
    const value = given[name];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`${name}: ${value} is not a positive whole number`);
    limits[name] = value;
  }
  limits.headersTimeoutMs = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return limits;
}

/**
 * Serves a fetch handler (the proxy, the sandbox, a Hono app's `fetch`) on host:port; port 0 picks a free
 * one. `close()` also ends keep-alive connections.
 * @example
 * const {url, close} = await serveFetch(app.fetch, {port: 0});
 */
export function serveFetch(
  fetch: FetchHandler,
  options: {port?: number; hostname?: string} & ServerLimits = {},
): Promise<NodeServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  let limits: Required<ServerLimits>;
  try {
    limits = serverLimits(options);
  } catch (error) {
    return Promise.reject(error as Error);
  }
  return new Promise((resolve) => {
    const server = serve(
      {
        serverOptions: {
          headersTimeout: limits.headersTimeoutMs,
          requestTimeout: limits.requestTimeoutMs,
          keepAliveTimeout: limits.keepAliveTimeoutMs,
          // Node checks the two timeouts on this interval (30 s by default), so a deadline is kept to within a second.
          connectionsCheckingInterval: Math.min(1000, Math.ceil(limits.requestTimeoutMs / 4)),
        },
        fetch: (request, env) => {
          const incoming = env.incoming as IncomingMessage;
          return fetch(request, {...nodeConnection(incoming, env.outgoing as ServerResponse), incoming});
        },
        port: options.port ?? 0,
        hostname,
      },
      (info: AddressInfo) => {
        (server as unknown as {maxConnections: number}).maxConnections = limits.maxConnections;
        resolve({
          url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${info.port}`,
          server,
          close: () =>
            new Promise((done) => {
              // Keep-alive sockets (a browser's, the proxy's own fetch) would hold the server open.
              (server as unknown as {closeAllConnections?: () => void}).closeAllConnections?.();
              server.close(() => done());
            }),
        });
      },
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
  options: {port?: number; hostname?: string} & ServerLimits = {},
): Promise<NodeServer> {
  return serveFetch(proxy, {...options, port: options.port ?? 8787});
}
export {createNodeFetch} from './node-fetch.ts';
