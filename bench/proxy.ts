// Benchmark 5: latency the proxy adds over calling the upstream directly, at fixed request rates (an open-model
// load generator, bench/open-load.ts), its CPU per request beside a bare Node relay's (the floor), and token
// calls per 10,000 requests.
import {directBodies, directHeaders, proxyBodies, startChild, type Child} from './children.ts';
import {openLoad} from './open-load.ts';
import {printTable, writeResult} from './report.ts';

const RATES = (process.env.BENCH_PROXY_RATES ?? '250,500,1000,1500,2000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_PROXY_SECONDS ?? 8);

type Stats = {cpuMicros: number; counts: {token: number; graphql: number}};
// BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each child on exit (open it in Chrome DevTools).
const start = (args: string[]): Promise<Child<Stats>> =>
  startChild('bench/proxy-child.ts', args, {
    execArgv: process.env.BENCH_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
      : [],
  });

const load = (url: string, rate: number, bodies: string[], headers: Record<string, string>) =>
  openLoad(url, rate, SECONDS, bodies, headers);

export async function runProxy() {
  const upstream = await start(['upstream']);
  const proxy = await start(['proxy', upstream.url]);
  // The same request bytes as the direct call, through a bare node:http relay: what relaying alone costs.
  const relay = await start(['relay', upstream.url]);
  const rows = [];
  let totalProxyRequests = 0;
  const tokenCallsBefore = (await upstream.stats()).counts.token;
  try {
    // Warm-up of both paths (JIT, sockets), unmeasured.
    await load(`${upstream.url}/graphql`, 200, directBodies, directHeaders);
    await load(`${proxy.url}/bwp/graphql`, 200, proxyBodies, {});
    await load(`${relay.url}/graphql`, 200, directBodies, directHeaders);
    for (const rate of RATES) {
      const straight = await load(`${upstream.url}/graphql`, rate, directBodies, directHeaders);
      const relayCpuBefore = (await relay.stats()).cpuMicros;
      const relayed = await load(`${relay.url}/graphql`, rate, directBodies, directHeaders);
      const relayCpu = ((await relay.stats()).cpuMicros - relayCpuBefore) / Math.max(1, relayed.requests);
      const cpuBefore = (await proxy.stats()).cpuMicros;
      const upstreamBefore = (await upstream.stats()).counts.graphql;
      const via = await load(`${proxy.url}/bwp/graphql`, rate, proxyBodies, {});
      const cpuAfter = (await proxy.stats()).cpuMicros;
      const upstreamCalls = (await upstream.stats()).counts.graphql - upstreamBefore;
      totalProxyRequests += via.requests;
      const proxyCpu = (cpuAfter - cpuBefore) / Math.max(1, via.requests);
      rows.push({
        'rate (req/s)': rate,
        'achieved (req/s)': Math.round(via.rps),
        'direct p50/p99 ms': `${straight.p50}/${straight.p99}`,
        'proxy p50/p99/p99.9 ms': `${via.p50}/${via.p99}/${via.p999}`,
        'overhead p50 ms': via.p50 - straight.p50,
        'overhead p99 ms': via.p99 - straight.p99,
        'overhead p99.9 ms': via.p999 - straight.p999,
        'proxy CPU µs/req': Math.round(proxyCpu),
        'relay CPU µs/req': Math.round(relayCpu),
        'proxy/relay CPU': Math.round((proxyCpu / relayCpu) * 100) / 100,
        'upstream/request': (upstreamCalls / Math.max(1, via.requests)).toFixed(2),
        errors: straight.errors + via.errors + relayed.errors,
      });
    }
  } finally {
    const tokenCalls = (await upstream.stats()).counts.token - tokenCallsBefore;
    // SIGTERM, which the children answer by exiting, so a CPU profile is written.
    proxy.process.kill('SIGTERM');
    upstream.process.kill('SIGTERM');
    relay.process.kill('SIGTERM');
    // Only rates the generator actually reached count: below them the numbers describe a queue, not the proxy.
    const best = rows
      .filter(
        (r) =>
          r['overhead p99 ms'] < 5 && r.errors === 0 && r['achieved (req/s)'] >= 0.95 * r['rate (req/s)'],
      )
      .at(-1);
    printTable(
      `Proxy overhead over a direct call (upstream: fixed ${process.env.BENCH_UPSTREAM_LATENCY_MS ?? 20} ms latency), ${SECONDS} s per rate, one 2-core machine`,
      rows,
      [
        'rate (req/s)',
        'achieved (req/s)',
        'direct p50/p99 ms',
        'proxy p50/p99/p99.9 ms',
        'overhead p50 ms',
        'overhead p99 ms',
        'overhead p99.9 ms',
        'proxy CPU µs/req',
        'relay CPU µs/req',
        'proxy/relay CPU',
        'upstream/request',
        'errors',
      ],
    );
    const perTenThousand = (tokenCalls / Math.max(1, totalProxyRequests)) * 10_000;
    console.log(
      `\nHighest rate with p99 overhead < 5 ms: ${best ? `${best['rate (req/s)']} req/s` : 'none of the rates tried'}`,
    );
    console.log(
      `Token calls: ${tokenCalls} for ${totalProxyRequests} proxied requests (${perTenThousand.toFixed(2)} per 10,000)`,
    );
    writeResult('proxy', {
      rows,
      highestRateUnder5msP99: best?.['rate (req/s)'] ?? null,
      tokenCalls,
      totalProxyRequests,
    });
  }
  return rows;
}
