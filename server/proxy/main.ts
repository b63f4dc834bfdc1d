// `npm run proxy`: the proxy on PORT, configured by the environment (the only module that reads it).
import {serve} from '@hono/node-server';
import {proxyOptionsFromEnv} from './config.ts';
import {createProxy} from './proxy.ts';

const options = proxyOptionsFromEnv(process.env);
const proxy = createProxy(options);
const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? '127.0.0.1';

serve(
  {
    fetch: (request, env: {incoming: {socket: {remoteAddress?: string}}}) =>
      proxy(request, {clientIp: env.incoming.socket.remoteAddress}),
    port,
    hostname: host,
  },
  (info) => {
    const upstream = options.usesSandbox ? 'the in-process sandbox' : options.apiUrl;
    console.log(`Buy with Prime proxy: http://${host}:${info.port}/bwp/graphql -> ${upstream}`);
  },
);
