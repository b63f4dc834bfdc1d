// Shared by the proxy test files: a fake Buy with Prime API that counts calls, documents, a secret audit, and
// the proxy under test, called directly (like Hono's app.request) or served over real HTTP.
import assert from 'node:assert/strict';
import {after} from 'node:test';
import type {RequestLog} from '../../server/proxy/log.ts';
import {createProxy, type ProxyOptions} from '../../server/proxy/proxy.ts';
import {listen} from './helpers.ts';
import {upstreamInputs} from './upstream-inputs.ts';

export const CLIENT_ID = 'merchant-client';
export const CLIENT_SECRET = 'merchant-secret-9f3c1e7d';
export const SHOPPER_TOKEN = 'Atza|shopper-secret-4b8e2a';
export const TARGET_ID = 'merchant-target';

export const productOffers = (sku: string, quantity = 1) => ({
  documentId: 'ProductOffers.v1',
  variables: {lineItems: [{product: {identifier: {sku}}, amount: {unit: 'ONE', value: quantity}}]},
});

export const ADDRESS = {
  name: 'Ada Lovelace',
  streetAddress: '410 Terry Ave N',
  locality: 'Seattle',
  region: 'WA',
  postalCode: '98109',
  countryCode: 'US',
};

export interface GraphqlCall {
  query: string;
  operationName?: string;
  variables: Record<string, any>;
  /** The variables with the inputs written into the text as literals (line items, products, address). */
  inputs: Record<string, any>;
  headers: Headers;
}

type Answer = Response | {status?: number; body: unknown} | 'network-error' | 'hang';

export interface FakeApiOptions {
  /** Answer for one GraphQL call (default: an empty offers answer). */
  graphql?: (call: GraphqlCall, index: number, signal: AbortSignal | undefined) => Answer | Promise<Answer>;
  /** Answer for one token call (default: a fresh token for 900 s). */
  token?: (index: number) => Answer | Promise<Answer>;
}

/** A fake Buy with Prime API reached through the proxy's `fetch` option; it counts and keeps every call. */
export function fakeApi(options: FakeApiOptions = {}) {
  const graphqlCalls: GraphqlCall[] = [];
  const tokensIssued: string[] = [];
  let tokenCalls = 0;
  const respond = async (answer: Answer, signal: AbortSignal | undefined): Promise<Response> => {
    if (answer === 'network-error') throw new TypeError('fetch failed');
    // Like fetch: a signal aborted before the answer rejects at once, one aborted later rejects then.
    if (answer === 'hang')
      return new Promise((_, reject) => {
        if (signal?.aborted) reject(signal.reason);
        signal?.addEventListener('abort', () => reject(signal.reason));
      });
    if (answer instanceof Response) return answer;
    return Response.json(answer.body, {status: answer.status ?? 200});
  };
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    if (path === '/token') {
      const index = tokenCalls++;
      const answer = options.token?.(index) ?? {
        body: {access_token: `at-${index}-${crypto.randomUUID()}`, token_type: 'bearer', expires_in: 900},
      };
      const resolved = await answer;
      if (typeof resolved === 'object' && 'body' in resolved) {
        const token = (resolved.body as {access_token?: string}).access_token;
        if (token) tokensIssued.push(token);
      }
      return respond(resolved, init?.signal ?? undefined);
    }
    const body = (await request.json()) as {
      query: string;
      operationName?: string;
      variables: Record<string, any>;
    };
    const call = {...body, inputs: upstreamInputs(body), headers: request.headers};
    const index = graphqlCalls.push(call) - 1;
    const answer = (await options.graphql?.(call, index, init?.signal ?? undefined)) ?? {
      body: {data: {offers: {edges: [], totalCount: 0}}},
    };
    return respond(answer, init?.signal ?? undefined);
  };
  return {
    fetch,
    graphqlCalls,
    tokensIssued,
    get tokenCalls() {
      return tokenCalls;
    },
    get upstreamCalls() {
      return tokenCalls + graphqlCalls.length;
    },
  };
}

export const apiError = (
  type: string,
  errorType: string,
  message = `upstream says ${errorType} for sku-secret`,
) => ({
  body: {
    data: null,
    errors: [{message, path: ['offers'], extensions: {classification: {type, errorType, errorCode: 400}}}],
  },
});

/**
 * Every response body and header the tests receive and every log line the proxies write, scanned for
 * secrets when the file ends: the client secret, Basic credentials, every access token issued, the shopper token.
 */
export function createAudit() {
  const seen: string[] = [];
  const logs: RequestLog[] = [];
  const secrets = new Set([CLIENT_SECRET, SHOPPER_TOKEN, btoa(`${CLIENT_ID}:${CLIENT_SECRET}`)]);
  const tokenSources: Array<{tokensIssued: string[]}> = [];
  /** The same fetch, recording every answer (headers and body) for the scan. */
  const through =
    (inner: (input: string | URL | Request, init?: RequestInit) => Promise<Response>): typeof fetch =>
    async (input, init) => {
      const response = await inner(input, init);
      const text = await response.clone().text();
      const headers: string[] = [];
      response.headers.forEach((value, name) => headers.push(`${name}: ${value}`));
      seen.push(`${headers.join('\n')}\n\n${text}`);
      return response;
    };
  after(() => {
    for (const source of tokenSources) for (const token of source.tokensIssued) secrets.add(token);
    const haystack = [...seen, ...logs.map((entry) => JSON.stringify(entry))];
    assert.ok(haystack.length > 0, 'the audit saw nothing');
    for (const text of haystack) {
      for (const secret of secrets)
        assert.ok(!text.includes(secret), `a secret leaked into: ${text.slice(0, 200)}`);
      assert.doesNotMatch(text, /sbx\.[0-9a-f-]{36}|Bearer |classification|ClientError|sku-secret|\n\s+at /);
    }
  });
  return {
    logs,
    logger: (entry: RequestLog) => {
      logs.push(entry);
    },
    /** Adds the tokens a fake API issues to the secrets scanned for. */
    watch<T extends {tokensIssued: string[]}>(api: T): T {
      tokenSources.push(api);
      return api;
    },
    addSecret: (secret: string) => secrets.add(secret),
    /** fetch for the test's own requests, recording what came back. */
    fetch: through(fetch),
    through,
    record: (text: string) => seen.push(text),
  };
}

export type Audit = ReturnType<typeof createAudit>;

export interface ProxyUnderTest {
  /** Where the proxy answers: a real 127.0.0.1 port, or a name for the direct call. */
  url: string;
  /** fetch to a URL under `url`; the audit records every answer. */
  fetch: typeof fetch;
  /** POSTs one operation (or a batch, or raw text) as JSON to /bwp/graphql. */
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export type ProxyStarter = (
  api: {fetch: typeof fetch},
  audit: Audit,
  options?: Partial<ProxyOptions>,
) => Promise<ProxyUnderTest>;

const proxyFor = (api: {fetch: typeof fetch}, audit: Audit, options: Partial<ProxyOptions>) =>
  createProxy({
    apiUrl: 'http://api.test/graphql',
    tokenUrl: 'http://api.test/token',
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    targetId: TARGET_ID,
    apiVersion: '2024-11-01',
    fetch: api.fetch,
    logger: audit.logger,
    random: () => 0,
    ...options,
  });

function underTest(url: string, fetch: typeof globalThis.fetch, close: () => Promise<void>): ProxyUnderTest {
  return {
    url,
    fetch,
    post: (body, headers = {}) =>
      fetch(`${url}/bwp/graphql`, {
        method: 'POST',
        headers: {'content-type': 'application/json', ...headers},
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close,
  };
}

/** The address the direct call reports as the connection's, as a loopback socket would. */
export const DIRECT_CLIENT_IP = '127.0.0.1';

/**
 * A proxy in front of `api`, its handler called directly with no socket (as Hono's tests use `app.request`),
 * logging into the audit. For every test that is not about sockets or bytes on the wire.
 */
export const callProxy: ProxyStarter = async (api, audit, options = {}) => {
  const proxy = proxyFor(api, audit, options);
  const url = 'http://proxy.test';
  const fetch = audit.through((input, init) =>
    proxy(input instanceof Request ? input : new Request(new URL(String(input), url), init), {
      clientIp: DIRECT_CLIENT_IP,
    }),
  );
  return underTest(url, fetch, async () => {});
};

/** The same proxy over real HTTP on 127.0.0.1: for sockets, Content-Length and streamed bodies, headers on the wire. */
export const serveProxy: ProxyStarter = async (api, audit, options = {}) => {
  const served = await listen(proxyFor(api, audit, options));
  return underTest(served.url, audit.fetch, served.close);
};

/** Starts a proxy in front of `api` (watched by the audit), runs the test with it, then closes it. */
export async function withProxy(
  audit: Audit,
  api: ReturnType<typeof fakeApi>,
  options: Partial<ProxyOptions>,
  run: (proxy: ProxyUnderTest) => Promise<void>,
  start: ProxyStarter = callProxy,
) {
  const proxy = await start(audit.watch(api), audit, options);
  try {
    await run(proxy);
  } finally {
    await proxy.close();
  }
}

export interface Envelope {
  data?: any;
  errors?: Array<{
    message: string;
    extensions: {code: string; reason?: string; lineIndex?: number; field?: string};
  }>;
}

/**
 * A manual clock for the proxy's `timers`: no deadline or backoff fires until the test moves time with
 * `advance`, so a test about them holds however slow the machine is.
 */
export function manualTimers(start = 0) {
  let time = start;
  let ids = 0;
  const pending: Array<{id: number; at: number; callback: () => void}> = [];
  const waiting: Array<{count: number; resolve: () => void}> = [];
  const due = (until: number) =>
    pending.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0];
  return {
    now: () => time,
    setTimeout(callback: () => void, ms: number): unknown {
      pending.push({id: ++ids, at: time + Math.max(0, ms), callback});
      for (const waiter of waiting.filter((w) => pending.length >= w.count)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve();
      }
      return ids;
    },
    clearTimeout(id: unknown) {
      const index = pending.findIndex((timer) => timer.id === id);
      if (index >= 0) pending.splice(index, 1);
    },
    /** How far ahead each pending timer is, in ms, soonest first. */
    get pending() {
      return pending.map((timer) => timer.at - time).sort((a, b) => a - b);
    },
    /** Moves time on by `ms`, running every timer that falls due, in order. */
    advance(ms: number) {
      const until = time + ms;
      for (let next = due(until); next; next = due(until)) {
        pending.splice(pending.indexOf(next), 1);
        time = next.at;
        next.callback();
      }
      time = until;
    },
    /** Resolves once `count` timers are pending: the code under test is waiting on the clock. */
    scheduled(count: number): Promise<void> {
      if (pending.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiting.push({count, resolve}));
    },
  };
}
