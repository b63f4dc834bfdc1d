#!/usr/bin/env node
// `bwp-proxy` (the command of the @bwp/proxy package): the Node mount, configured by the environment. Unlike
// `npm run proxy` (main.ts) it has no sandbox to fall back on, so the upstream's variables are required.
import {proxyOptionsFromEnv} from './config.ts';
import {jsonLinesLogger} from './log.ts';
import {createNodeFetch} from './node-fetch.ts';
import {serveProxy} from './node.ts';
import {createProxy} from './proxy.ts';
import {sharedStateOptions} from './redis.ts';

const REQUIRED = ['BWP_API_URL', 'BWP_TOKEN_URL', 'BWP_CLIENT_ID', 'BWP_CLIENT_SECRET', 'BWP_TARGET_ID'];

/** Exits with a one-line reason: a supervisor restarting it would only print the same line again. */
function fail(code: string, message: string): never {
  console.error(`bwp-proxy: ${code}: ${message}`);
  // 78 is EX_CONFIG (sysexits.h): systemd's RestartPreventExitStatus and alike can stop on it.
  process.exit(78);
}

const env = process.env;
const missing = REQUIRED.filter((name) => !env[name]?.trim());
if (missing.length)
  fail(
    'missing_env',
    `set ${missing.join(', ')} (the Buy with Prime API and its credentials; this package has no sandbox)`,
  );
const port = Number(env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail('invalid_env', `PORT is not a port: ${env.PORT}`);

let options: ReturnType<typeof proxyOptionsFromEnv>;
try {
  options = proxyOptionsFromEnv(env);
} catch (error) {
  fail('invalid_env', (error as Error).message);
}
// With BWP_REDIS_URL the token and the budgets are shared by every instance; Redis away is logged and served around.
const {redis, ...shared} = await sharedStateOptions(options);
const proxy = createProxy({
  ...options,
  ...shared,
  // node:http for the API and token calls: Node's fetch costs more CPU than the rest of the proxy.
  fetch: createNodeFetch(),
  logger: jsonLinesLogger((line) => process.stdout.write(line)),
});
const server = await serveProxy(proxy, {port, hostname: env.HOST ?? '127.0.0.1'});
console.error(`bwp-proxy: listening on ${server.url}/bwp/graphql -> ${options.apiUrl}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void server
      .close()
      .then(() => redis?.close())
      .then(() => process.exit(0));
  });
