// Issue 13 benchmarks: the proxy's overhead at 250 req/s before and after (base and this tree side by side, in
// one run), the most upstream calls one client can cause per minute, and the most calls in flight per instance.
// BENCH_BASE_DIR: a checkout of the base commit (git worktree add --detach <dir> <commit>, node_modules linked);
// without it, only this tree is measured. Run: node --import tsx bench/edges.ts
import {resolve} from 'node:path';
import {PRODUCT_OFFERS} from '../server/operations/documents.ts';
import {directBodies, directHeaders, proxyBodies, startChild} from './children.ts';
import {openLoad} from './open-load.ts';
import {printTable, writeResult} from './report.ts';

const BASE = process.env.BENCH_BASE_DIR;
const SECONDS = Number(process.env.BENCH_EDGES_SECONDS ?? 8);
const RATE = 250;

const start = (cwd: string, args: string[]) => startChild('bench/proxy-child.ts', args, {cwd});

/** p50 and p99 overhead of each tree's proxy over a direct upstream call, the trees measured in turns. */
async function overhead(trees: Array<[string, string]>) {
  const upstream = await start('.', ['upstream']);
  const proxies = await Promise.all(trees.map(([, dir]) => start(dir, ['proxy', upstream.url])));
  const rows = [];
  try {
    await openLoad(`${upstream.url}/graphql`, 200, 2, directBodies, directHeaders);
    for (const proxy of proxies) await openLoad(`${proxy.url}/bwp/graphql`, 200, 2, proxyBodies, {});
    // Alternating turns, so a noisy moment on the shared machine does not land on one tree only.
    const samples = trees.map(() => ({p50: [] as number[], p99: [] as number[], errors: 0}));
    for (let turn = 0; turn < 2; turn++) {
      for (const [index, proxy] of proxies.entries()) {
        const straight = await openLoad(
          `${upstream.url}/graphql`,
          RATE,
          SECONDS / 2,
          directBodies,
          directHeaders,
        );
        const via = await openLoad(`${proxy.url}/bwp/graphql`, RATE, SECONDS / 2, proxyBodies, {});
        samples[index]!.p50.push(Math.round((via.p50 - straight.p50) * 10) / 10);
        samples[index]!.p99.push(Math.round((via.p99 - straight.p99) * 10) / 10);
        samples[index]!.errors += straight.errors + via.errors;
      }
    }
    for (const [index, [name]] of trees.entries()) {
      const sample = samples[index]!;
      rows.push({
        tree: name,
        'overhead p50 ms (turns)': sample.p50.join(' / '),
        'overhead p99 ms (turns)': sample.p99.join(' / '),
        errors: sample.errors,
      });
    }
  } finally {
    upstream.process.kill();
    for (const proxy of proxies) proxy.process.kill();
  }
  return rows;
}

type ProxyModule = typeof import('../server/proxy/proxy.ts');
type LimiterModule = typeof import('../server/proxy/rate-limit.ts');

const load = async (dir: string) => ({
  proxy: (await import(resolve(dir, 'server/proxy/proxy.ts'))) as ProxyModule,
  limiter: (await import(resolve(dir, 'server/proxy/rate-limit.ts'))) as LimiterModule,
});

const base = (fetch: typeof globalThis.fetch) => ({
  apiUrl: 'http://api.test/graphql',
  tokenUrl: 'http://api.test/token',
  clientId: 'c',
  clientSecret: 's',
  targetId: 't',
  fetch,
  random: () => 0,
  breaker: false as const,
});

const token = () => Response.json({access_token: 'bench', token_type: 'bearer', expires_in: 900});
const batch = (from: number) =>
  JSON.stringify(
    Array.from({length: 50}, (_, i) => ({
      documentId: PRODUCT_OFFERS.id,
      variables: {lineItems: [{product: {identifier: {sku: `sku-${from + i}`}}}]},
    })),
  );
const post = (body: string) =>
  new Request('http://proxy.test/bwp/graphql', {
    method: 'POST',
    headers: {'content-type': 'application/json'},
    body,
  });

/**
 * Upstream calls one client causes in the second simulated minute (its bucket already spent), sending
 * 50-operation batches every second against an upstream that answers 500 (so every call is retried).
 */
async function callsPerMinute(dir: string, budget: number) {
  const {proxy, limiter} = await load(dir);
  let calls = 0;
  const fetch: typeof globalThis.fetch = async (input) => {
    if (String(input instanceof Request ? input.url : input).endsWith('/token')) return token();
    calls++;
    return Response.json({errors: [{message: 'boom'}]}, {status: 500});
  };
  let time = 0;
  const handler = proxy.createProxy({
    ...base(fetch),
    rateLimiter: limiter.createRateLimiter({limit: budget, now: () => time}),
  });
  let sent = 0;
  const minute: number[] = [];
  for (let second = 0; second < 120; second++) {
    time = second * 1000;
    const before = calls;
    for (let i = 0; i < 4; i++) {
      const response = await handler(post(batch((sent += 50))), {clientIp: '203.0.113.5'});
      await response.arrayBuffer();
      if (response.status === 429) break;
    }
    minute[Math.floor(second / 60)] = (minute[Math.floor(second / 60)] ?? 0) + calls - before;
  }
  return {first: minute[0]!, second: minute[1]!};
}

/** The most upstream calls in flight at once: 12 concurrent batches of 50 distinct operations. */
async function peakInFlight(dir: string) {
  const {proxy} = await load(dir);
  let inFlight = 0;
  let peak = 0;
  const fetch: typeof globalThis.fetch = async (input) => {
    if (String(input instanceof Request ? input.url : input).endsWith('/token')) return token();
    peak = Math.max(peak, ++inFlight);
    await new Promise((done) => setTimeout(done, 50));
    inFlight--;
    return Response.json({data: {offers: {edges: [], totalCount: 0}}});
  };
  const handler = proxy.createProxy({...base(fetch), rateLimiter: false});
  await Promise.all(
    Array.from({length: 12}, async (_, i) => {
      const response = await handler(post(batch(i * 50)), {clientIp: `203.0.113.${i}`});
      await response.arrayBuffer();
    }),
  );
  return peak;
}

const trees: Array<[string, string]> = [
  ...(BASE ? [['before (base)', BASE] as [string, string]] : []),
  ['after', '.'],
];
const limits = [];
for (const [name, dir] of trees) {
  const budget = 1200;
  const perMinute = await callsPerMinute(dir, budget);
  limits.push({
    tree: name,
    'limiter budget': budget,
    'upstream calls, 1st minute': perMinute.first,
    'upstream calls per minute after': perMinute.second,
    'most calls in flight (12×50)': await peakInFlight(dir),
  });
}
const latency = await overhead(trees);
printTable(
  `Proxy overhead over a direct call at ${RATE} req/s (upstream: fixed 20 ms), ${SECONDS} s per tree in two turns`,
  latency,
  ['tree', 'overhead p50 ms (turns)', 'overhead p99 ms (turns)', 'errors'],
);
printTable('Upstream calls one client can cause (upstream answering 500, so every call is retried)', limits, [
  'tree',
  'limiter budget',
  'upstream calls, 1st minute',
  'upstream calls per minute after',
  'most calls in flight (12×50)',
]);
writeResult('edges', {latency, limits});
