// A server in its own process for the proxy benchmark: `upstream` or `proxy <upstream url>`.
// It answers IPC messages with its CPU time and counters, so the load generator's CPU is not counted.
// The upstream answers like the API (a body captured from the sandbox) after a fixed latency, so the
// proxy's cost is not hidden by the sandbox's own GraphQL work on the same two cores.
import {serve} from '@hono/node-server';
import type {AddressInfo} from 'node:net';
import {serveProxy} from '../server/proxy/node.ts';
import {createProxy} from '../server/proxy/proxy.ts';
import {PRODUCT_OFFERS, renderDocument} from '../server/operations/documents.ts';
import {createSandbox, SANDBOX_DEFAULTS} from '../server/sandbox/sandbox.ts';

const [role, upstream] = process.argv.slice(2);
const counts = {token: 0, graphql: 0};

const LATENCY_MS = Number(process.env.BENCH_UPSTREAM_LATENCY_MS ?? 20);

async function cannedOffers(): Promise<string> {
  const sandbox = createSandbox();
  const form = new URLSearchParams({grant_type: 'client_credentials', ...{client_id: 'sandbox-client'}});
  form.set('client_secret', 'sandbox-secret');
  const {access_token} = (await (
    await sandbox(new Request('http://s/token', {method: 'POST', body: form}))
  ).json()) as {
    access_token: string;
  };
  const response = await sandbox(
    new Request('http://s/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${access_token}`,
        'x-api-target-id': 'sandbox-target',
      },
      body: JSON.stringify(
        renderDocument(PRODUCT_OFFERS, {
          lineItems: [{product: {identifier: {sku: 'example-sku-1'}}}],
          location: {ipAddress: '127.0.0.1'},
        }),
      ),
    }),
  );
  return response.text();
}

if (role === 'upstream') {
  const offers = await cannedOffers();
  const json = {'content-type': 'application/json'};
  serve(
    {
      fetch: async (request) => {
        await request.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
        if (new URL(request.url).pathname === '/token') {
          counts.token++;
          return new Response(
            JSON.stringify({access_token: 'bench', token_type: 'bearer', expires_in: 900}),
            {headers: json},
          );
        }
        counts.graphql++;
        return new Response(offers, {headers: json});
      },
      port: 0,
      hostname: '127.0.0.1',
    },
    (info: AddressInfo) => process.send!({url: `http://127.0.0.1:${info.port}`}),
  );
} else {
  // One benchmark client stands for many shoppers: no per-IP limit.
  const proxy = createProxy({
    apiUrl: `${upstream}/graphql`,
    tokenUrl: `${upstream}/token`,
    ...SANDBOX_DEFAULTS,
    rateLimiter: false,
  });
  const {url} = await serveProxy(proxy, {port: 0});
  process.send!({url});
}

process.on('message', () => {
  const cpu = process.cpuUsage();
  process.send!({cpuMicros: cpu.user + cpu.system, counts: {...counts}});
});
