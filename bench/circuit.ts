// Benchmark 7: how fast the proxy answers while its circuit breaker is open (short-circuited, `circuit_open`),
// beside the same proxy answering through a healthy upstream. The test (test/e2e/faults-outage.test.ts) proves
// that an open circuit never asks the upstream; how long such an answer takes is measured here, not asserted.
import {openLoad} from './open-load.ts';
import {printTable, writeResult} from './report.ts';
import {serveFetch} from '../server/proxy/node.ts';
import {createProxy} from '../server/proxy/proxy.ts';
import {createCircuitBreaker} from '../server/proxy/upstream.ts';
import {SANDBOX_DEFAULTS} from '../server/sandbox/sandbox.ts';

const RATE = Number(process.env.BENCH_CIRCUIT_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_CIRCUIT_SECONDS ?? 5);
const LATENCY_MS = Number(process.env.BENCH_UPSTREAM_LATENCY_MS ?? 20);

const OFFERS = JSON.stringify({data: {offers: {edges: [], totalCount: 0}}});

export async function runCircuit() {
  const upstream = {graphql: 0, down: false};
  // Open for the whole measurement: it opens once 5 calls have failed (half or more of at least 5).
  const breaker = createCircuitBreaker({minimumCalls: 5, openMs: 3_600_000});
  const proxy = createProxy({
    apiUrl: 'http://upstream.invalid/graphql',
    tokenUrl: 'http://upstream.invalid/token',
    ...SANDBOX_DEFAULTS,
    // One benchmark client stands for many shoppers: no per-IP limit.
    rateLimiter: false,
    breaker,
    fetch: async (input) => {
      const token = String(input instanceof Request ? input.url : input).endsWith('/token');
      if (token) return Response.json({access_token: 'bench', token_type: 'bearer', expires_in: 900});
      upstream.graphql++;
      // The fixed latency of bench/proxy-child.ts's upstream.
      await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
      const json = {'content-type': 'application/json'};
      return upstream.down
        ? new Response('{}', {status: 503, headers: json})
        : new Response(OFFERS, {headers: json});
    },
  });
  const served = await serveFetch(proxy, {port: 0});
  const url = `${served.url}/bwp/graphql`;
  const bodies = Array.from({length: 50}, (_, i) =>
    JSON.stringify({
      documentId: 'ProductOffers.v1',
      variables: {lineItems: [{product: {identifier: {sku: `sku-${i}`}}}]},
    }),
  );
  const rows: Array<Record<string, string | number>> = [];
  try {
    // Warm-up (JIT, sockets), unmeasured.
    await openLoad(url, RATE, 1, bodies, {});
    const measure = async (state: string) => {
      const before = upstream.graphql;
      const result = await openLoad(url, RATE, SECONDS, bodies, {});
      rows.push({
        circuit: state,
        'rate (req/s)': RATE,
        'p50/p99/p99.9 ms': `${result.p50}/${result.p99}/${result.p999}`,
        'upstream calls': upstream.graphql - before,
        requests: result.requests,
        errors: result.errors,
      });
    };
    await measure(`closed, upstream answers in ${LATENCY_MS} ms`);
    if (breaker.state !== 'closed') throw new Error('the circuit opened with a healthy upstream');
    upstream.down = true;
    // A getter TypeScript would narrow to 'closed' after the check above.
    const state = () => breaker.state;
    for (let i = 0; state() !== 'open'; i++) {
      await fetch(url, {method: 'POST', headers: {'content-type': 'application/json'}, body: bodies[i % 50]});
    }
    await measure('open (short-circuited)');
  } finally {
    await served.close();
  }
  printTable(
    `Answers while the circuit is open, beside a healthy upstream: ${SECONDS} s at ${RATE} req/s, load generator in the same process`,
    rows,
    ['circuit', 'rate (req/s)', 'p50/p99/p99.9 ms', 'upstream calls', 'requests', 'errors'],
  );
  writeResult('circuit', {rows});
  return rows;
}
