// Benchmark: the proxy's own CPU per request, in process (`npx tsx bench/run.ts proxy-cpu`).
// The handler is called directly with a fake upstream that answers at once with a captured body, so the
// figure holds the router, the middlewares, validation, logging, the upstream client and JSON, and nothing
// of sockets or of a load generator; process.cpuUsage over many requests is steadier than wall time on a
// shared machine. `BENCH_CPU_REQUESTS` sets the count per round (default 5,000).
import {printTable, writeResult} from './report.ts';
import {cannedOffers} from './canned.ts';
import {PRODUCT_OFFERS} from '../server/operations/documents.ts';
import {fork} from 'node:child_process';
import {jsonLinesLogger} from '../server/proxy/log.ts';
import {createNodeFetch} from '../server/proxy/node-fetch.ts';
import {createProxy, type ProxyHandler} from '../server/proxy/proxy.ts';
import {SANDBOX_DEFAULTS} from '../server/sandbox/sandbox.ts';

const REQUESTS = Number(process.env.BENCH_CPU_REQUESTS ?? 5000);
const ROUNDS = Number(process.env.BENCH_CPU_ROUNDS ?? 5);
/** Requests in flight at once, as under load (the handler's promises interleave). */
const CONCURRENCY = 16;
const SKUS = ['example-sku-1', 'example-sku-2', 'TEE-NAVY-M', 'TEE-NAVY-XXL'];

/** Fifty distinct product requests (SKU × quantity), as bench/proxy.ts sends. */
const BODIES = Array.from({length: 50}, (_, i) =>
  JSON.stringify({
    documentId: PRODUCT_OFFERS.id,
    variables: {
      lineItems: [
        {product: {identifier: {sku: SKUS[i % SKUS.length]}}, amount: {unit: 'ONE', value: 1 + (i % 50)}},
      ],
    },
  }),
);

function fakeUpstream(offers: string): typeof fetch {
  const json = {'content-type': 'application/json'};
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    // The body is read, as the real API would, so a proxy that streamed it lazily is not flattered.
    if (init?.body !== undefined) await new Response(init.body).arrayBuffer();
    if (url.endsWith('/token'))
      return new Response(JSON.stringify({access_token: 'bench', token_type: 'bearer', expires_in: 900}), {
        headers: json,
      });
    return new Response(offers, {headers: json});
  };
}

let sequence = 0;

async function drive(proxy: ProxyHandler, count: number): Promise<number> {
  let failures = 0;
  let next = 0;
  const offset = (sequence += count);
  const worker = async () => {
    while (next < count) {
      const i = offset + next++;
      const response = await proxy(
        new Request('http://127.0.0.1:8787/bwp/graphql', {
          method: 'POST',
          headers: {'content-type': 'application/json'},
          body: BODIES[i % BODIES.length]!,
        }),
        // Shoppers from many addresses, so the memory limiter keeps buckets without refusing anyone.
        {clientIp: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`},
      );
      const text = await response.text();
      if (response.status !== 200 || text.includes('"errors"')) failures++;
    }
  };
  await Promise.all(Array.from({length: CONCURRENCY}, worker));
  return failures;
}

/** CPU µs per request of one round; fails loudly when the proxy did not answer every request with data. */
async function round(proxy: ProxyHandler): Promise<number> {
  const before = process.cpuUsage();
  const failures = await drive(proxy, REQUESTS);
  const used = process.cpuUsage(before);
  if (failures > 0)
    throw new Error(`proxy-cpu: ${failures} of ${REQUESTS} requests did not answer with data`);
  return (used.user + used.system) / REQUESTS;
}

/** bench/proxy-child.ts's upstream in its own process, answering at once, so its CPU is not counted here. */
function httpUpstream(): Promise<{url: string; stop: () => void}> {
  const child = fork('bench/proxy-child.ts', ['upstream'], {
    execArgv: ['--import', 'tsx'],
    env: {...process.env, BENCH_UPSTREAM_LATENCY_MS: '0'},
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve) =>
    child.once('message', (message: {url: string}) =>
      resolve({url: message.url, stop: () => child.kill('SIGTERM')}),
    ),
  );
}

export async function runProxyCpu() {
  const offers = await cannedOffers();
  const fetch = fakeUpstream(offers);
  const base = {
    apiUrl: 'http://upstream/graphql',
    tokenUrl: 'http://upstream/token',
    ...SANDBOX_DEFAULTS,
    fetch,
  };
  const upstream = await httpUpstream();
  const overHttp = {...base, apiUrl: `${upstream.url}/graphql`, tokenUrl: `${upstream.url}/token`};
  try {
    return await measure({
      // The upstream over real sockets: the proxy's HTTP client counts, the upstream's work does not.
      'HTTP upstream, Node fetch (main.ts)': createProxy({...overHttp, fetch: createNodeFetch()}),
      'HTTP upstream, global fetch': createProxy({...overHttp, fetch: undefined}),
      // In-process fake upstream: the proxy's own work alone. No limiter, as bench/proxy.ts runs it …
      'fake upstream, no limiter, silent log': createProxy({...base, rateLimiter: false}),
      // … and as main.ts runs it: the memory limiter and a JSON line per request (written nowhere).
      'fake upstream, memory limiter, JSON log': createProxy({
        ...base,
        rateLimiter: undefined,
        logger: jsonLinesLogger(() => undefined),
      }),
    });
  } finally {
    upstream.stop();
  }
}

async function measure(all: Record<string, ProxyHandler>) {
  // BENCH_CPU_ONLY=<text> keeps the configurations whose name holds it (for a profile of one).
  const only = process.env.BENCH_CPU_ONLY;
  const configs = Object.fromEntries(Object.entries(all).filter(([name]) => !only || name.includes(only)));
  // Warm-up (JIT, the token, the printed documents), unmeasured.
  for (const proxy of Object.values(configs)) await drive(proxy, 5000);
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(configs).map((k) => [k, []]));
  // Alternating rounds, so a burst of load from elsewhere on the machine lands on every configuration.
  for (let r = 0; r < ROUNDS; r++)
    for (const [name, proxy] of Object.entries(configs)) samples[name]!.push(await round(proxy));
  const rows = Object.entries(samples).map(([name, values]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return {
      configuration: name,
      'min µs/req': Math.round(sorted[0]!),
      'median µs/req': Math.round(sorted[Math.floor(sorted.length / 2)]!),
      'max µs/req': Math.round(sorted.at(-1)!),
    };
  });
  printTable(
    `Proxy CPU per request, in process (handler called directly; upstream answers at once), ${ROUNDS} rounds of ${REQUESTS}, ${CONCURRENCY} in flight`,
    rows,
    ['configuration', 'min µs/req', 'median µs/req', 'max µs/req'],
  );
  writeResult('proxy-cpu', {rows, requestsPerRound: REQUESTS, rounds: ROUNDS, concurrency: CONCURRENCY});
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await runProxyCpu();
