// Benchmark 5b: the proxy's overhead with its state in memory and in Redis, in the same run against the same
// upstream (p50, p99, CPU per request), and the Redis round trips each proxied request costs.
import {startRedis} from '../test/server/redis-server.ts';
import {directBodies, directHeaders, proxyBodies, startChild} from './children.ts';
import {openLoad} from './open-load.ts';
import {printTable, writeResult} from './report.ts';

const RATE = Number(process.env.BENCH_PROXY_REDIS_RATE ?? 250);
const SECONDS = Number(process.env.BENCH_PROXY_SECONDS ?? 8);

/** Commands Redis has processed so far (the INFO that asks included). */
function commandsProcessed(cli: (...args: string[]) => string): number {
  return Number(/total_commands_processed:(\d+)/.exec(cli('info', 'stats'))?.[1] ?? NaN);
}

const start = (script: string, args: string[]) =>
  startChild<{cpuMicros: number; redisCommands: number}>(script, args);

export async function runProxyRedis() {
  const redis = await startRedis();
  const upstream = await start('bench/proxy-child.ts', ['upstream']);
  const proxies = {
    memory: await start('bench/proxy-redis-child.ts', ['memory', upstream.url]),
    redis: await start('bench/proxy-redis-child.ts', ['redis', upstream.url, redis.url]),
  };
  const rows = [];
  try {
    // Warm-up of every path (JIT, sockets, the token in each store), unmeasured.
    await openLoad(`${upstream.url}/graphql`, 200, 2, directBodies, directHeaders);
    for (const proxy of Object.values(proxies))
      await openLoad(`${proxy.url}/bwp/graphql`, 200, 2, proxyBodies, {});
    const straight = await openLoad(`${upstream.url}/graphql`, RATE, SECONDS, directBodies, directHeaders);
    for (const [store, proxy] of Object.entries(proxies)) {
      const before = await proxy.stats();
      const commandsBefore = commandsProcessed(redis.cli);
      const via = await openLoad(`${proxy.url}/bwp/graphql`, RATE, SECONDS, proxyBodies, {});
      // The second INFO counts itself too: one command that is not the proxy's.
      const commands = commandsProcessed(redis.cli) - commandsBefore - 1;
      const after = await proxy.stats();
      const perRequest = (n: number) => n / Math.max(1, via.requests);
      rows.push({
        store,
        'rate (req/s)': RATE,
        'achieved (req/s)': Math.round(via.rps),
        'direct p50/p99 ms': `${straight.p50}/${straight.p99}`,
        'proxy p50/p99 ms': `${via.p50}/${via.p99}`,
        'overhead p50 ms': via.p50 - straight.p50,
        'overhead p99 ms': via.p99 - straight.p99,
        'proxy CPU µs/req': Math.round(perRequest(after.cpuMicros - before.cpuMicros)),
        'Redis round trips/req': perRequest(after.redisCommands - before.redisCommands).toFixed(2),
        // Redis counts the commands a script runs too (the limiter's INCRBY, PTTL, SET).
        'Redis commands run/req': perRequest(commands).toFixed(2),
        errors: straight.errors + via.errors,
      });
    }
  } finally {
    for (const child of [upstream, ...Object.values(proxies)]) {
      child.process.removeAllListeners('exit');
      child.process.kill();
    }
    await redis.stop();
  }
  printTable(
    `Proxy overhead, state in memory and in Redis (upstream: fixed ${process.env.BENCH_UPSTREAM_LATENCY_MS ?? 20} ms latency), ${SECONDS} s each, one 2-core machine`,
    rows,
    [
      'store',
      'rate (req/s)',
      'achieved (req/s)',
      'direct p50/p99 ms',
      'proxy p50/p99 ms',
      'overhead p50 ms',
      'overhead p99 ms',
      'proxy CPU µs/req',
      'Redis round trips/req',
      'Redis commands run/req',
      'errors',
    ],
  );
  writeResult('proxy-redis', {rate: RATE, seconds: SECONDS, rows});
  return rows;
}
