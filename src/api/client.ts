import {SHOPPER_TOKEN_HEADER} from './documents.js';
import {shopperIdentity} from './identity.js';
import {BwpRequestError, type ErrorCode, type GraphQLResponse} from './types.js';

export interface ProxyClientOptions {
  /** Absolute URL of the proxy's GraphQL route. */
  endpoint: string;
  fetch?: typeof fetch;
  /** Most documents in one HTTP request (the proxy's batch limit). */
  maxBatch?: number;
  /** The shopper token to send; defaults to the page's shopperIdentity. */
  shopperToken?: () => string | null;
}

interface Pending {
  documentId: string;
  variables: Record<string, unknown>;
  token: string | null;
  waiters: number;
  settle: (result: GraphQLResponse | BwpRequestError) => void;
  result: Promise<GraphQLResponse | BwpRequestError>;
}

const httpCode = (status: number): ErrorCode =>
  status === 429 ? 'rate_limited' : status >= 500 ? 'unavailable' : 'invalid_request';

/**
 * Talks to one proxy endpoint. Requests made in the same task go out together in one HTTP request;
 * identical requests share one entry; a caller's AbortSignal releases only that caller.
 */
export class ProxyClient {
  readonly endpoint: string;
  private readonly fetch: typeof fetch;
  private readonly maxBatch: number;
  private readonly shopperToken: () => string | null;
  private queue = new Map<string, Pending>();
  private flushScheduled = false;

  constructor(options: ProxyClientOptions) {
    this.endpoint = options.endpoint;
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.maxBatch = options.maxBatch ?? 50;
    this.shopperToken = options.shopperToken ?? (() => shopperIdentity.token);
  }

  /** Runs one persisted document; resolves with the proxy's {data, errors}, rejects with BwpRequestError. */
  async request(
    documentId: string,
    variables: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<GraphQLResponse> {
    signal?.throwIfAborted();
    const token = this.shopperToken();
    const key = JSON.stringify([documentId, variables, token]);
    let pending = this.queue.get(key);
    if (!pending) {
      let settle!: Pending['settle'];
      const result = new Promise<GraphQLResponse | BwpRequestError>((resolve) => (settle = resolve));
      pending = {documentId, variables, token, waiters: 0, settle, result};
      this.queue.set(key, pending);
      this.scheduleFlush();
    }
    const entry = pending;
    entry.waiters++;
    const outcome = await new Promise<GraphQLResponse | BwpRequestError>((resolve, reject) => {
      const onAbort = () => {
        // The last caller to leave an unsent request takes it out of the batch.
        if (--entry.waiters === 0 && this.queue.get(key) === entry) this.queue.delete(key);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, {once: true});
      entry.result.then((value) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      });
    });
    if (outcome instanceof BwpRequestError) throw outcome;
    return outcome;
  }

  private scheduleFlush() {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setTimeout(() => {
      this.flushScheduled = false;
      const entries = [...this.queue.values()];
      this.queue.clear();
      // One HTTP request per shopper token (normally one), split by the batch limit.
      const byToken = new Map<string | null, Pending[]>();
      for (const entry of entries) byToken.set(entry.token, [...(byToken.get(entry.token) ?? []), entry]);
      for (const [token, group] of byToken) {
        for (let i = 0; i < group.length; i += this.maxBatch)
          void this.send(token, group.slice(i, i + this.maxBatch));
      }
    }, 0);
  }

  private async send(token: string | null, batch: Pending[]) {
    const operations = batch.map(({documentId, variables}) => ({documentId, variables}));
    const headers: Record<string, string> = {'content-type': 'application/json', accept: 'application/json'};
    if (token) headers[SHOPPER_TOKEN_HEADER] = token;
    let results: GraphQLResponse[];
    try {
      const response = await this.fetch(this.endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify(operations.length === 1 ? operations[0] : operations),
        credentials: 'same-origin',
      });
      if (!response.ok && response.status !== 400) throw new BwpRequestError(httpCode(response.status));
      const body: unknown = await response.json();
      results = operations.length === 1 ? [body as GraphQLResponse] : (body as GraphQLResponse[]);
      if (!Array.isArray(results) || results.length !== batch.length)
        throw new BwpRequestError('unavailable');
    } catch (error) {
      const failure = error instanceof BwpRequestError ? error : new BwpRequestError('unavailable');
      for (const entry of batch) entry.settle(failure);
      return;
    }
    batch.forEach((entry, i) => entry.settle(results[i] ?? new BwpRequestError('unavailable')));
  }
}

const clients = new Map<string, ProxyClient>();

/** The page's one client for an endpoint. */
export function clientFor(endpoint: string): ProxyClient {
  let client = clients.get(endpoint);
  if (!client) clients.set(endpoint, (client = new ProxyClient({endpoint})));
  return client;
}
