// Test helpers: serve a fetch handler on 127.0.0.1 over real HTTP, and record calls through a fetch.
import {serveFetch, type FetchHandler, type NodeServer} from '../../server/proxy/node.ts';

export type Served = NodeServer;

/** Serves the handler on a free port of 127.0.0.1, passing the connection's address. */
export const listen = (handler: FetchHandler): Promise<Served> => serveFetch(handler, {port: 0});

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
