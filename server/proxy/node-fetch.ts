// A lean `fetch` for the proxy's own calls on Node (the API's POSTs, the token endpoint), on node:http(s).
// Node's fetch (undici) spends more CPU on each call than the whole rest of the proxy: web streams for both
// bodies, an AbortSignal chain, Request and Headers objects. The proxy sends small bodies and reads small
// answers whole, which node:http with keep-alive does for a fraction of it.
import {Agent as HttpAgent, request as httpRequest, type IncomingMessage} from 'node:http';
import {Agent as HttpsAgent, request as httpsRequest} from 'node:https';
import {urlToHttpOptions} from 'node:url';

export interface NodeFetchOptions {
  /** Open connections kept per upstream host between calls (default 64). */
  maxFreeSockets?: number;
  /** What a call it does not handle goes to (default: the global fetch). */
  fallback?: typeof fetch;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * A `fetch` for `createProxy({fetch})` on Node: same answers as the global fetch for the proxy's calls (a
 * string or form body, headers, a signal), at a fraction of its CPU. Anything else (a Request, a streamed body,
 * a redirect) goes to the global fetch. It asks for no compression: the answers are small, and inflating
 * them would cost what it saves.
 * @example
 * const proxy = createProxy({...options, fetch: createNodeFetch()});
 */
export function createNodeFetch(options: NodeFetchOptions = {}): typeof fetch {
  const fallback = options.fallback ?? ((input, init) => fetch(input, init));
  const agentOptions = {
    keepAlive: true,
    maxFreeSockets: options.maxFreeSockets ?? 64,
    scheduling: 'lifo' as const,
  };
  const http = new HttpAgent(agentOptions);
  const https = new HttpsAgent(agentOptions);
  // The proxy calls the same two URLs again and again: each is parsed once, not on every call.
  const targets = new Map<string, ReturnType<typeof urlToHttpOptions>>();
  const targetOf = (input: string | URL) => {
    const key = typeof input === 'string' ? input : input.href;
    let target = targets.get(key);
    if (!target) {
      if (targets.size >= 64) targets.clear();
      target = urlToHttpOptions(typeof input === 'string' ? new URL(input) : input);
      targets.set(key, target);
    }
    return target;
  };

  return (input, init) => {
    const body = bodyOf(init?.body);
    if (
      input instanceof Request ||
      body === undefined ||
      init?.redirect === 'manual' ||
      init?.redirect === 'error'
    )
      return fallback(input, init);
    const target = targetOf(input);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return fallback(input, init);
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const headers = headersOf(init?.headers);
    if (body.type && !('content-type' in headers)) headers['content-type'] = body.type;
    if (body.bytes) headers['content-length'] = String(body.bytes.byteLength);
    const secure = target.protocol === 'https:';

    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      const done = (settle: () => void) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        settle();
      };
      const request = (secure ? httpsRequest : httpRequest)(
        {...target, method: init?.method ?? 'GET', headers, agent: secure ? https : http},
        (response: IncomingMessage) => {
          const status = response.statusCode ?? 0;
          if (REDIRECTS.has(status) && response.headers.location) {
            response.resume();
            // Redirects are rare and their rules many (method changes, cross-origin headers): fetch knows them.
            return done(() => resolve(fallback(input, init)));
          }
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => done(() => reject(failed(error))));
          response.on('end', () =>
            done(() => {
              try {
                resolve(toResponse(response, status, Buffer.concat(chunks)));
              } catch (error) {
                reject(failed(error));
              }
            }),
          );
        },
      );
      const onAbort = () => {
        request.destroy();
        done(() => reject(signal!.reason));
      };
      signal?.addEventListener('abort', onAbort, {once: true});
      request.on('error', (error) => done(() => reject(failed(error))));
      request.end(body.bytes);
    });
  };
}

/** The body as bytes and its default type, as fetch would send it; undefined when it is not one of ours. */
function bodyOf(body: RequestInit['body']): {bytes?: Uint8Array; type?: string} | undefined {
  if (body === undefined || body === null) return {};
  if (typeof body === 'string') return {bytes: Buffer.from(body), type: 'text/plain;charset=UTF-8'};
  if (body instanceof URLSearchParams)
    return {bytes: Buffer.from(body.toString()), type: 'application/x-www-form-urlencoded;charset=UTF-8'};
  if (body instanceof Uint8Array) return {bytes: body};
  return undefined;
}

function headersOf(init: HeadersInit | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!init) return headers;
  const entries = init instanceof Headers || Array.isArray(init) ? init : Object.entries(init);
  for (const [name, value] of entries as Iterable<[string, string]>) {
    const key = name.toLowerCase();
    // Repeated names join as Headers would join them.
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  return headers;
}

function toResponse(response: IncomingMessage, status: number, body: Buffer): Response {
  const raw = response.rawHeaders;
  const headers = new Headers();
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const empty = status === 204 || status === 205 || status === 304;
  return bufferedResponse(empty ? null : body, {status, statusText: response.statusMessage ?? '', headers});
}

const kept = Symbol('bufferedResponse');

/**
 * A Response whose body is already in memory: status, headers, text(), json() and arrayBuffer() answer from it
 * directly (a Response's body is a web stream, and reading one is most of what a small answer costs); anything
 * else is asked of a real Response, made on first use. It is a Response (`instanceof`), as fetch promises.
 * A class rather than per-object property descriptors: defining fifteen properties on each answer cost more
 * than reading it.
 */
class BufferedResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  [kept]: {body: Buffer | null; used: boolean; real?: Response};

  constructor(body: Buffer | null, init: {status: number; statusText: string; headers: Headers}) {
    this.status = init.status;
    this.statusText = init.statusText;
    this.headers = init.headers;
    this[kept] = {body, used: false};
  }

  get ok() {
    return this.status >= 200 && this.status < 300;
  }

  get bodyUsed() {
    const state = this[kept];
    return state.used || (state.real?.bodyUsed ?? false);
  }

  /** The real Response, made once, for what this one does not answer itself. */
  materialize(): Response {
    const state = this[kept];
    // A Buffer is a Uint8Array, which Response takes; TypeScript's DOM types only know ArrayBuffer-backed ones.
    return (state.real ??= new GlobalResponse(state.body as unknown as BodyInit, this));
  }

  /** The bytes, once: a second read is refused as fetch's Response refuses it. */
  async take(): Promise<Buffer> {
    const state = this[kept];
    if (state.used) throw new TypeError('Body is unusable: Body has already been read');
    state.used = true;
    return state.real ? Buffer.from(await state.real.arrayBuffer()) : (state.body ?? Buffer.alloc(0));
  }

  async text() {
    return (await this.take()).toString('utf8');
  }

  async json() {
    return JSON.parse((await this.take()).toString('utf8')) as unknown;
  }

  async arrayBuffer() {
    const bytes = await this.take();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }
}

// The Response of this realm when the module loaded: @hono/node-server may later replace the global with its own.
const GlobalResponse = Response;

for (const name of ['body', 'type', 'url', 'redirected'] as const)
  Object.defineProperty(BufferedResponse.prototype, name, {
    get(this: BufferedResponse) {
      return this[kept].used ? undefined : this.materialize()[name];
    },
  });
for (const name of ['blob', 'formData', 'clone'] as const)
  Object.defineProperty(BufferedResponse.prototype, name, {
    value(this: BufferedResponse) {
      return (this.materialize()[name] as () => unknown).call(this.materialize());
    },
  });

function bufferedResponse(
  body: Buffer | null,
  init: {status: number; statusText: string; headers: Headers},
): Response {
  // `instanceof Response` holds for whichever Response is global now (Node's, or @hono/node-server's, whose
  // prototype chain ends in Node's).
  const proto = BufferedResponse.prototype as object;
  if (Object.getPrototypeOf(proto) !== Response.prototype) Object.setPrototypeOf(proto, Response.prototype);
  return new BufferedResponse(body, init) as unknown as Response;
}

/** Like fetch: a TypeError('fetch failed') whose cause is the socket's error. */
function failed(cause: unknown): TypeError {
  return new TypeError('fetch failed', {cause});
}
