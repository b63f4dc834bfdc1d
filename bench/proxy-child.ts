// A server in its own process for the proxy benchmark: `upstream`, `proxy <upstream url>` or `relay <upstream url>`.
// It answers IPC messages with its CPU time and counters, so the load generator's CPU is not counted.
// The upstream answers like the API (a body captured from the sandbox) after a fixed latency, so the
// proxy's cost is not hidden by the sandbox's own GraphQL work on the same two cores.
import {serve} from '@hono/node-server';
import {Agent, createServer, request, type IncomingMessage} from 'node:http';
import type {AddressInfo} from 'node:net';
import {createNodeFetch} from '../server/proxy/node-fetch.ts';
import {serveProxy} from '../server/proxy/node.ts';
import {createProxy} from '../server/proxy/proxy.ts';
import {SANDBOX_DEFAULTS} from '../server/sandbox/sandbox.ts';
import {cannedOffers} from './canned.ts';

const [role, upstream] = process.argv.slice(2);
const counts = {token: 0, graphql: 0};

const LATENCY_MS = Number(process.env.BENCH_UPSTREAM_LATENCY_MS ?? 20);

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
} else if (role === 'relay') {
  // The floor the proxy is compared with: a bare node:http server relaying the request's bytes to the upstream
  // on a keep-alive agent and the answer's bytes back, with nothing checked, logged or parsed.
  const target = new URL(`${upstream}/graphql`);
  const agent = new Agent({keepAlive: true, maxFreeSockets: 64, scheduling: 'lifo'});
  const read = (from: IncomingMessage, done: (body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    from.on('data', (chunk: Buffer) => chunks.push(chunk));
    from.on('end', () => done(Buffer.concat(chunks)));
  };
  const server = createServer((incoming, outgoing) =>
    read(incoming, (body) => {
      const relayed = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': body.byteLength,
            authorization: incoming.headers.authorization ?? '',
            'x-api-target-id': incoming.headers['x-api-target-id'] ?? '',
          },
        },
        (answer) =>
          read(answer, (bytes) => {
            outgoing.writeHead(answer.statusCode ?? 502, {
              'content-type': answer.headers['content-type'] ?? 'application/json',
              'content-length': bytes.byteLength,
            });
            outgoing.end(bytes);
          }),
      );
      relayed.on('error', () => outgoing.writeHead(502).end());
      relayed.end(body);
    }),
  );
  server.listen(0, '127.0.0.1', () =>
    process.send!({url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`}),
  );
} else {
  // One benchmark client stands for many shoppers: no per-IP limit.
  const proxy = createProxy({
    apiUrl: `${upstream}/graphql`,
    tokenUrl: `${upstream}/token`,
    ...SANDBOX_DEFAULTS,
    rateLimiter: false,
    // As main.ts (`npm run proxy`, bwp-proxy) runs it on Node.
    fetch: createNodeFetch(),
  });
  const {url} = await serveProxy(proxy, {port: 0});
  process.send!({url});
}

// Exiting, not dying, on SIGTERM: --cpu-prof writes its profile only on a normal exit.
process.on('SIGTERM', () => process.exit(0));

process.on('message', () => {
  const cpu = process.cpuUsage();
  process.send!({cpuMicros: cpu.user + cpu.system, counts: {...counts}});
});
