// ProxyOptions from environment variables (DESIGN.md); with no BWP_API_URL, an in-process sandbox is the upstream.
import {createSandbox, SANDBOX_DEFAULTS, type FetchHandler} from '../sandbox/sandbox.ts';
import {trustPolicy, type TrustedProxies} from './client-address.ts';
import type {ProxyOptions} from './proxy.ts';

const SANDBOX_ORIGIN = 'http://sandbox.invalid';

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
 * Options for createProxy from the environment (Node) or from bindings (Workers).
 * `sandbox` is the in-process upstream to use when BWP_API_URL is not set (a new one by default).
 * @example
 * const proxy = createProxy(proxyOptionsFromEnv(process.env));
 */
export function proxyOptionsFromEnv(
  env: ProxyEnv,
  sandbox?: FetchHandler,
): ProxyOptions & {usesSandbox: boolean} {
  const common = {
    apiVersion: text(env, 'BWP_API_VERSION') ?? '2024-11-01',
    allowedOrigins: parseAllowedOrigins(text(env, 'BWP_ALLOWED_ORIGINS')),
    trustedProxies: parseTrustedProxies(text(env, 'BWP_TRUSTED_PROXIES')),
  };
  const apiUrl = text(env, 'BWP_API_URL');
  if (apiUrl) {
    const required = ['BWP_TOKEN_URL', 'BWP_CLIENT_ID', 'BWP_CLIENT_SECRET', 'BWP_TARGET_ID'] as const;
    const missing = required.filter((name) => !text(env, name));
    if (missing.length) throw new Error(`BWP_API_URL is set, so these are needed too: ${missing.join(', ')}`);
    return {
      usesSandbox: false,
      apiUrl,
      tokenUrl: text(env, 'BWP_TOKEN_URL')!,
      clientId: text(env, 'BWP_CLIENT_ID')!,
      clientSecret: text(env, 'BWP_CLIENT_SECRET')!,
      targetId: text(env, 'BWP_TARGET_ID')!,
      ...common,
    };
  }
  const inProcess = sandbox ?? createSandbox();
  return {
    usesSandbox: true,
    apiUrl: `${SANDBOX_ORIGIN}/graphql`,
    tokenUrl: `${SANDBOX_ORIGIN}/token`,
    ...SANDBOX_DEFAULTS,
    ...common,
    fetch: (input, init) => inProcess(new Request(input, init)),
  };
}
