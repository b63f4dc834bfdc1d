// ProxyOptions from environment variables (docs/architecture.md). It never imports the sandbox, so a Worker or
// Lambda bundle carries none of it: with no BWP_API_URL, the caller's fallback upstream is used, if it gave one.
import {trustPolicy, type TrustedProxies} from './client-address.ts';
import type {ProxyOptions} from './proxy.ts';

/**
 * An upstream given in code rather than by the environment: `npm run proxy` and the dev stack pass the in-process
 * sandbox (`sandboxUpstream()` in server/sandbox/sandbox.ts).
 */
export interface FallbackUpstream {
  apiUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  targetId: string;
  fetch: typeof fetch;
}

/** Environment variables or Worker bindings: names to strings (other binding types are ignored). */
export type ProxyEnv = Readonly<Record<string, unknown>>;

const text = (env: ProxyEnv, name: string): string | undefined => {
  const value = env[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

/** `BWP_ALLOWED_ORIGINS`: a comma list of exact origins (scheme://host[:port]); anything else is a startup error. */
export function parseAllowedOrigins(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      let origin: string;
      try {
        origin = new URL(entry).origin;
      } catch {
        origin = 'null';
      }
      if (origin === 'null' || origin !== entry.replace(/\/$/, ''))
        throw new Error(`BWP_ALLOWED_ORIGINS: "${entry}" is not an origin like https://shop.example`);
      return origin;
    });
}

/** `BWP_PUBLIC_ORIGIN`: one exact origin (scheme://host[:port]); anything else is a startup error. */
export function parsePublicOrigin(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const [origin, ...more] = parseAllowedOrigins(value);
    if (more.length === 0) return origin;
  } catch {
    // Reported below with this variable's name.
  }
  throw new Error(`BWP_PUBLIC_ORIGIN: "${value}" is not one origin like https://shop.example`);
}

/** A budget such as `BWP_RATE_LIMIT`: a whole number of upstream calls per client per minute, 1 to 1,000,000. */
export function parseCallsPerMinute(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const calls = /^\d{1,7}$/.test(value) ? Number(value) : NaN;
  if (!(calls >= 1 && calls <= 1_000_000))
    throw new Error(`${name}: "${value}" is not a whole number of calls per minute from 1 to 1000000`);
  return calls;
}

/** `BWP_TRUSTED_PROXIES`: a hop count from 0 to 10, or addresses, CIDRs, loopback, linklocal, uniquelocal. */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  if (value === undefined) return 0;
  try {
    trustPolicy(value);
  } catch (error) {
    throw new Error(`BWP_TRUSTED_PROXIES: ${(error as Error).message}`);
  }
  return value;
}

/**
 * `BWP_REDIS_URL` checked at startup: a redis:// or rediss:// URL with a host; anything else is an error naming
 * the variable (and never echoing a password it may hold).
 */
export function parseRedisUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('BWP_REDIS_URL: not a URL; expected redis://[:password@]host[:port][/db]');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new Error(`BWP_REDIS_URL: the scheme is ${url.protocol}, expected redis: or rediss:`);
  if (!url.hostname) throw new Error('BWP_REDIS_URL: no host; expected redis://[:password@]host[:port][/db]');
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db))
    throw new Error(`BWP_REDIS_URL: the database is "${db}", expected a number such as /0`);
  return url;
}

/**
 * Options for createProxy from the environment (Node) or from bindings (Workers). `fallback` makes the upstream
 * when BWP_API_URL is not set; without one, BWP_API_URL and its credentials are required.
 * @example
 * const proxy = createProxy(proxyOptionsFromEnv(process.env));
 * @example
 * // server/proxy/main.ts: no BWP_API_URL means the sandbox, in this process
 * const options = proxyOptionsFromEnv(process.env, () => sandboxUpstream());
 */
export function proxyOptionsFromEnv(
  env: ProxyEnv,
  fallback?: () => FallbackUpstream,
): ProxyOptions & {usesFallback: boolean; redisUrl?: string} {
  const redisUrl = text(env, 'BWP_REDIS_URL');
  const common = {
    // Checked here, so a malformed one stops the startup; the Node mount connects (server/proxy/redis.ts).
    ...(redisUrl ? {redisUrl: parseRedisUrl(redisUrl).toString()} : {}),
    apiVersion: text(env, 'BWP_API_VERSION') ?? '2024-11-01',
    allowedOrigins: parseAllowedOrigins(text(env, 'BWP_ALLOWED_ORIGINS')),
    trustedProxies: parseTrustedProxies(text(env, 'BWP_TRUSTED_PROXIES')),
    publicOrigin: parsePublicOrigin(text(env, 'BWP_PUBLIC_ORIGIN')),
    rateLimit: parseCallsPerMinute('BWP_RATE_LIMIT', text(env, 'BWP_RATE_LIMIT')),
    shopperRateLimit: parseCallsPerMinute('BWP_SHOPPER_RATE_LIMIT', text(env, 'BWP_SHOPPER_RATE_LIMIT')),
  };
  const apiUrl = text(env, 'BWP_API_URL');
  const required = ['BWP_TOKEN_URL', 'BWP_CLIENT_ID', 'BWP_CLIENT_SECRET', 'BWP_TARGET_ID'] as const;
  if (apiUrl) {
    const missing = required.filter((name) => !text(env, name));
    if (missing.length) throw new Error(`BWP_API_URL is set, so these are needed too: ${missing.join(', ')}`);
    return {
      usesFallback: false,
      apiUrl,
      tokenUrl: text(env, 'BWP_TOKEN_URL')!,
      clientId: text(env, 'BWP_CLIENT_ID')!,
      clientSecret: text(env, 'BWP_CLIENT_SECRET')!,
      targetId: text(env, 'BWP_TARGET_ID')!,
      ...common,
    };
  }
  if (!fallback)
    throw new Error(
      `BWP_API_URL is not set: the proxy needs its upstream, BWP_API_URL with ${required.join(', ')} ` +
        '(only `npm run proxy` and `npm start` fall back to the in-process sandbox)',
    );
  return {usesFallback: true, ...fallback(), ...common};
}
