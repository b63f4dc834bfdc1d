// A proxy in its own process for the Redis benchmark: `memory <upstream url>` or `redis <upstream url> <redis url>`.
// Both keep the per-client limiter on (at a budget the load never reaches), so the two differ only in the store.
import {createNodeFetch} from '../server/proxy/node-fetch.ts';
import {serveProxy} from '../server/proxy/node.ts';
import {createProxy} from '../server/proxy/proxy.ts';
import {createRateLimiter} from '../server/proxy/rate-limit.ts';
import {createRedisState} from '../server/proxy/redis.ts';
import {SANDBOX_DEFAULTS} from '../server/sandbox/sandbox.ts';

const [store, upstream, redisUrl] = process.argv.slice(2);
const LIMIT = 1_000_000;

const redis = store === 'redis' ? createRedisState({url: redisUrl!, limit: LIMIT}) : undefined;
if (redis && !(await redis.ready())) throw new Error('the benchmark Redis does not answer');
// Round trips as the client sees them: every command it sends (the limiter's script is one EVALSHA).
let sent = 0;
if (redis) {
  const send = redis.client.sendCommand.bind(redis.client);
  redis.client.sendCommand = (...args: Parameters<typeof send>) => {
    sent++;
    return send(...args);
  };
}
const proxy = createProxy({
  apiUrl: `${upstream}/graphql`,
  tokenUrl: `${upstream}/token`,
  ...SANDBOX_DEFAULTS,
  ...(redis
    ? {tokenStore: redis.tokenStore, rateLimiter: redis.rateLimiter}
    : {rateLimiter: createRateLimiter({limit: LIMIT})}),
  // As main.ts (`npm run proxy`, bwp-proxy) runs it on Node.
  fetch: createNodeFetch(),
});
const {url} = await serveProxy(proxy, {port: 0});
process.send!({url});

process.on('message', () => {
  const cpu = process.cpuUsage();
  process.send!({cpuMicros: cpu.user + cpu.system, redisCommands: sent});
});
