// ProxyOptions from environment variables (DESIGN.md); with no BWP_API_URL, an in-process sandbox is the upstream.
import {createSandbox, SANDBOX_DEFAULTS, type FetchHandler} from '../sandbox/sandbox.ts';
import type {ProxyOptions} from './proxy.ts';

const SANDBOX_ORIGIN = 'http://sandbox.invalid';

/** `sandbox` is the in-process upstream to use when BWP_API_URL is not set (a new one by default). */
export function proxyOptionsFromEnv(
  env: NodeJS.ProcessEnv,
  sandbox: FetchHandler = createSandbox(),
): ProxyOptions & {usesSandbox: boolean} {
  if (env.BWP_API_URL) {
    const required = ['BWP_TOKEN_URL', 'BWP_CLIENT_ID', 'BWP_CLIENT_SECRET', 'BWP_TARGET_ID'] as const;
    const missing = required.filter((name) => !env[name]);
    if (missing.length) throw new Error(`BWP_API_URL is set, so these are needed too: ${missing.join(', ')}`);
    return {
      usesSandbox: false,
      apiUrl: env.BWP_API_URL,
      tokenUrl: env.BWP_TOKEN_URL!,
      clientId: env.BWP_CLIENT_ID!,
      clientSecret: env.BWP_CLIENT_SECRET!,
      targetId: env.BWP_TARGET_ID!,
      apiVersion: env.BWP_API_VERSION ?? '2024-11-01',
    };
  }
  return {
    usesSandbox: true,
    apiUrl: `${SANDBOX_ORIGIN}/graphql`,
    tokenUrl: `${SANDBOX_ORIGIN}/token`,
    ...SANDBOX_DEFAULTS,
    apiVersion: env.BWP_API_VERSION ?? '2024-11-01',
    fetch: (input, init) => sandbox(new Request(input, init)),
  };
}
