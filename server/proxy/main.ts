// `npm run proxy`: the proxy on PORT, configured by the environment (the only module that reads it). With no
// BWP_API_URL it serves the sandbox in-process: the one proxy module that may import it (docs/architecture.md).
import {sandboxUpstream} from '../sandbox/sandbox.ts';
import {proxyOptionsFromEnv} from './config.ts';
import {jsonLinesLogger} from './log.ts';
import {createNodeFetch} from './node-fetch.ts';
import {serveProxy} from './node.ts';
import {createProxy} from './proxy.ts';

const options = proxyOptionsFromEnv(process.env, () => sandboxUpstream());
const proxy = createProxy({
  ...options,
  // On Node, node:http for the API and token calls: Node's fetch costs more CPU than the rest of the proxy.
  fetch: options.fetch ?? createNodeFetch(),
  logger: jsonLinesLogger((line) => process.stdout.write(line)),
});
const {url} = await serveProxy(proxy, {
  port: Number(process.env.PORT ?? 8787),
  hostname: process.env.HOST ?? '127.0.0.1',
});
const upstream = options.usesFallback ? 'the in-process sandbox' : options.apiUrl;
console.error(`Buy with Prime proxy: ${url}/bwp/graphql -> ${upstream}`);
