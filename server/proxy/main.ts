// `npm run proxy`: the proxy on PORT, configured by the environment (the only module that reads it). With no
// BWP_API_URL it serves the sandbox in-process: the one proxy module that may import it (docs/architecture.md).
// With BWP_REDIS_URL, instances share the access token and the rate limits through Redis (server/proxy/redis.ts).
import {sandboxUpstream} from '../sandbox/sandbox.ts';
import {proxyOptionsFromEnv} from './config.ts';
import {jsonLinesLogger} from './log.ts';
import {createNodeFetch} from './node-fetch.ts';
import {serveProxy} from './node.ts';
import {createProxy} from './proxy.ts';
import {sharedStateOptions} from './redis.ts';

let options: ReturnType<typeof proxyOptionsFromEnv>;
try {
  options = proxyOptionsFromEnv(process.env, () => sandboxUpstream());
} catch (error) {
  // A configuration error is one line naming the variable, not a stack trace: restarting will not fix it.
  console.error(`bwp-proxy: ${(error as Error).message}`);
  process.exit(78); // EX_CONFIG
}
// An unreachable Redis is logged (once) and served around; it is not a reason to refuse to start.
const {redis, ...shared} = await sharedStateOptions(options);
const proxy = createProxy({
  ...options,
  ...shared,
  // On Node, node:http for the API and token calls: Node's fetch costs more CPU than the rest of the proxy.
  fetch: options.fetch ?? createNodeFetch(),
  logger: jsonLinesLogger((line) => process.stdout.write(line)),
});
const {url} = await serveProxy(proxy, {
  port: Number(process.env.PORT ?? 8787),
  hostname: process.env.HOST ?? '127.0.0.1',
});
const upstream = options.usesFallback ? 'the in-process sandbox' : options.apiUrl;
const sharing = redis
  ? `, state shared through BWP_REDIS_URL${redis.shared ? '' : ' (not answering yet)'}`
  : '';
console.error(`Buy with Prime proxy: ${url}/bwp/graphql -> ${upstream}${sharing}`);
