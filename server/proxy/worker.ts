// The proxy on Worker-style runtimes (Cloudflare Workers and alike): `export default createWorker()`.
import {proxyOptionsFromEnv, type ProxyEnv} from './config.ts';
import {createProxy, type ProxyHandler, type ProxyOptions} from './proxy.ts';
import type {StoredToken, TokenStore} from './token.ts';

/** The part of a Workers KV namespace binding the token store uses. */
export interface KvNamespace {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, options?: {expirationTtl?: number}): Promise<void>;
}

/**
 * A TokenStore in Workers KV, so every isolate and location shares one access token.
 * @example
 * createWorker({tokenStore: (env) => kvTokenStore(env.BWP_TOKENS as KvNamespace)});
 */
export function kvTokenStore(
  kv: KvNamespace,
  key = 'bwp-access-token',
  now: () => number = Date.now,
): TokenStore {
  return {
    async get() {
      const text = await kv.get(key);
      if (!text) return undefined;
      const stored = JSON.parse(text) as StoredToken;
      return typeof stored.token === 'string' && typeof stored.expiresAt === 'number' ? stored : undefined;
    },
    async set(token) {
      // KV's smallest TTL is 60 s.
      const ttl = Math.max(60, Math.floor((token.expiresAt - now()) / 1000));
      await kv.put(key, JSON.stringify(token), {expirationTtl: ttl});
    },
  };
}

export interface WorkerOptions {
  /** Options on top of those read from the bindings (BWP_API_URL, BWP_CLIENT_ID, …). */
  options?: Partial<ProxyOptions>;
  /** A token store from the bindings, e.g. `(env) => kvTokenStore(env.BWP_TOKENS)`. */
  tokenStore?: (env: ProxyEnv) => TokenStore;
}

export interface WorkerExport {
  fetch(request: Request, env: ProxyEnv, ctx?: unknown): Promise<Response>;
}

/**
 * The client on Cloudflare: CF-Connecting-IP, which Cloudflare sets on every request it runs a Worker for
 * (the socket is not visible to a Worker). Only there: a request without Cloudflare's `cf` object came
 * some other way, and its CF-Connecting-IP could be anyone's.
 */
export const cloudflareClientIp = (request: Request): string | null => {
  const cf = (request as Request & {cf?: unknown}).cf;
  return typeof cf === 'object' && cf !== null ? request.headers.get('cf-connecting-ip') : null;
};

/**
 * A Worker module: configured from its bindings on the first request, then kept for the isolate's life. Without
 * BWP_API_URL and its credentials every request fails with an error naming them (the sandbox is not in a Worker).
 * @example
 * // src/worker.ts, with BWP_* set as vars and secrets (wrangler secret put BWP_CLIENT_SECRET)
 * import {createWorker} from '@bwp/proxy/worker';
 * export default createWorker();
 */
export function createWorker(worker: WorkerOptions = {}): WorkerExport {
  const proxies = new WeakMap<object, ProxyHandler>();
  // The proxy (and with it the token in isolate memory, in front of KV) lives as long as the isolate: a runtime
  // that hands each request a new env object with the same settings still finds it by them.
  const bySettings = new Map<string, ProxyHandler>();
  return {
    async fetch(request, env) {
      let proxy = proxies.get(env);
      if (!proxy) {
        const settings = JSON.stringify(Object.entries(env).filter(([, value]) => typeof value === 'string'));
        proxy = bySettings.get(settings);
        if (!proxy) {
          const {redisUrl, ...options} = proxyOptionsFromEnv(env);
          // Workers cannot hold a Redis connection: say so rather than silently run unshared.
          if (redisUrl)
            console.warn(
              'bwp-proxy: BWP_REDIS_URL is ignored in a Worker: the token is shared through the tokenStore ' +
                '(kvTokenStore), and rate limits are per location (docs/deploy-proxy.md)',
            );
          proxy = createProxy({
            getClientIp: cloudflareClientIp,
            ...options,
            ...(worker.tokenStore ? {tokenStore: worker.tokenStore(env)} : {}),
            ...worker.options,
          });
          bySettings.set(settings, proxy);
        }
        proxies.set(env, proxy);
      }
      return proxy(request);
    },
  };
}

export default createWorker();
