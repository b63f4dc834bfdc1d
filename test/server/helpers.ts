// Test helpers: serve a fetch handler on 127.0.0.1 over real HTTP, and record calls through a fetch.
import {serve} from '@hono/node-server';
import type {AddressInfo} from 'node:net';

export interface Served {
  url: string;
  close(): Promise<void>;
}

type Handler = (request: Request, connection: {clientIp?: string}) => Promise<Response> | Response;

/** Serves the handler on a free port of 127.0.0.1, passing the connection's address. */
export function listen(handler: Handler): Promise<Served> {
  return new Promise((resolve) => {
    const server = serve(
      {
        fetch: (request, env: {incoming: {socket: {remoteAddress?: string}}}) =>
          handler(request, {clientIp: env.incoming.socket.remoteAddress}),
        port: 0,
        hostname: '127.0.0.1',
      },
      (info: AddressInfo) =>
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          close: () =>
            new Promise((done) => {
              // Keep-alive sockets would hold the server open past the test.
              (server as unknown as {closeAllConnections?: () => void}).closeAllConnections?.();
              server.close(() => done());
            }),
        }),
    );
  });
}

export interface RecordedCall {
  url: string;
  headers: Headers;
  body: string;
}

/** A fetch that records every call before passing it on. */
export function recordingFetch(inner: typeof fetch = fetch) {
  const calls: RecordedCall[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    calls.push({url: request.url, headers: request.headers, body: await request.clone().text()});
    return inner(request);
  };
  return {fetch: wrapped, calls};
}

export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
