// Shared state for many proxy instances (BWP_REDIS_URL): one access token and one rate-limit budget per client,
// kept in Redis. Redis being down never takes the shop down: limits fall back to each instance, tokens to direct calls.
import {Redis} from 'ioredis';
import {RateLimiterMemory, RateLimiterRedis, RateLimiterRes} from 'rate-limiter-flexible';
import {parseRedisUrl} from './config.ts';
import {DEFAULT_RATE_LIMIT} from './proxy.ts';
import type {RateLimitDecision, RateLimiter} from './rate-limit.ts';
import type {StoredToken, TokenStore} from './token.ts';

export interface RedisStateOptions {
  /** `redis://[:password@]host[:port][/db]` or `rediss://…` (TLS); checked with parseRedisUrl. */
  url: string;
  /** Prefix of every key the proxy writes (default `bwp:`), so one Redis can serve several shops. */
  keyPrefix?: string;
  /** Upstream calls a client may cause per window across all instances (default: the proxy's, 1200). */
  limit?: number;
  /** The window, in ms; whole seconds (default 60 s). */
  windowMs?: number;
  /** How long one instance may hold the token-refresh lock, in ms (default 10 s). */
  lockMs?: number;
  /** Deadline of one Redis command, in ms (default 500): a slow Redis is a down Redis. */
  commandTimeoutMs?: number;
  /** Where the outage and recovery lines go (default console.error); never given the password. */
  log?: (message: string) => void;
}

export interface RedisState {
  tokenStore: TokenStore;
  rateLimiter: RateLimiter;
  /** The ioredis client (for metrics, or a test counting commands). */
  readonly client: Redis;
  /** Whether Redis answers right now (false while the per-instance fallback is in use). */
  readonly shared: boolean;
  /** Settles once the first connection succeeds (true) or fails (false, already logged): await it at startup. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/** The URL as it may be logged: scheme, host and port, no credential. */
const displayed = (url: URL) => `${url.protocol}//${url.host}`;

/**
 * A Redis connection shared by the token store and the limiter. Commands fail fast while Redis is away (no
 * offline queue), the token source then fetches directly and the limiter uses its in-memory insurance.
 * @example
 * const redis = createRedisState({url: process.env.BWP_REDIS_URL!});
 * createProxy({...options, tokenStore: redis.tokenStore, rateLimiter: redis.rateLimiter});
 */
export function createRedisState(options: RedisStateOptions): RedisState {
  const url = parseRedisUrl(options.url);
  const prefix = options.keyPrefix ?? 'bwp:';
  const log = options.log ?? ((message: string) => console.error(message));
  const lockMs = options.lockMs ?? 10_000;
  const client = new Redis(url.toString(), {
    enableOfflineQueue: false,
    // Commands caught by a dropped connection fail now (the fallback answers) instead of waiting for Redis.
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 500,
    connectTimeout: 2000,
    // Keep trying for as long as the process lives, at most every 2 s: Redis coming back means shared again.
    retryStrategy: (times) => Math.min(100 * times, 2000),
  });

  // One line when shared state is lost, one when it is back: a flapping Redis does not flood the log.
  let down = false;
  let everReady = false;
  let closing = false;
  const fallBack = (why: string) => {
    if (down) return;
    down = true;
    log(
      `bwp-proxy: BWP_REDIS_URL: ${why}; rate limits are per instance and tokens are fetched directly until it answers`,
    );
  };
  client.on('error', (error: Error & {code?: string}) => fallBack(describe(error, displayed(url))));
  // A dropped connection emits no error of its own until a reconnect fails: say so at once.
  client.on('close', () => {
    if (everReady && !closing) fallBack(`Redis at ${displayed(url)} closed the connection`);
  });
  client.on('ready', () => {
    if (down)
      log(
        `bwp-proxy: BWP_REDIS_URL: Redis at ${displayed(url)} answers${everReady ? ' again' : ''}; rate limits and the token are shared`,
      );
    down = false;
    everReady = true;
  });
  const firstAnswer = new Promise<boolean>((resolve) => {
    client.once('ready', () => resolve(true));
    client.once('error', () => resolve(false));
  });

  const limit = options.limit ?? DEFAULT_RATE_LIMIT;
  const duration = Math.max(1, Math.round((options.windowMs ?? 60_000) / 1000));
  const limiter = new RateLimiterRedis({
    storeClient: client,
    keyPrefix: `${prefix}rl`,
    points: limit,
    duration,
    rejectIfRedisNotReady: true,
    // The per-instance budget while Redis is away: the same limit, counted by this instance alone.
    insuranceLimiter: new RateLimiterMemory({points: limit, duration}),
  });

  const rateLimiter: RateLimiter = {
    async take(key, cost): Promise<RateLimitDecision> {
      try {
        await limiter.consume(key, cost);
        return {ok: true, retryAfterSeconds: 0};
      } catch (result) {
        if (result instanceof RateLimiterRes)
          return {ok: false, retryAfterSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000))};
        // Neither Redis nor the insurance could count: let the request through rather than refuse a shopper.
        return {ok: true, retryAfterSeconds: 0};
      }
    },
  };

  const tokenKey = `${prefix}token`;
  const lockKey = `${prefix}token:lock`;
  const tokenStore: TokenStore = {
    async get() {
      const text = await client.get(tokenKey);
      if (!text) return undefined;
      try {
        return JSON.parse(text) as StoredToken;
      } catch {
        return undefined;
      }
    },
    async set(token) {
      const ttl = Math.floor(token.expiresAt - Date.now());
      if (ttl > 0) await client.set(tokenKey, JSON.stringify(token), 'PX', ttl);
    },
    async withLock(refresh) {
      const owner = crypto.randomUUID();
      // Bounded: past the lock's own lifetime the holder is gone, and this instance refreshes itself.
      for (let waited = 0; waited < lockMs; waited += 25) {
        if ((await client.set(lockKey, owner, 'PX', lockMs, 'NX')) === 'OK') {
          try {
            return await refresh();
          } finally {
            // Only our own lock: it may have expired and been taken by another instance meanwhile.
            await client.eval(RELEASE, 1, lockKey, owner).catch(() => undefined);
          }
        }
        // Another instance is refreshing: once it is done, the refresh finds its token in the store.
        await new Promise((resolve) => setTimeout(resolve, 25));
        if (!(await client.exists(lockKey))) {
          const token = await tokenStore.get();
          if (token && token.expiresAt > Date.now()) return refresh();
        }
      }
      return refresh();
    },
  };

  return {
    tokenStore,
    rateLimiter,
    client,
    get shared() {
      return client.status === 'ready';
    },
    ready: () => firstAnswer,
    async close() {
      closing = true;
      await client.quit().catch(() => client.disconnect());
    },
  };
}

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** What went wrong, in words an operator can act on; a reply's text is kept only when it is Redis's own code. */
function describe(error: Error & {code?: string}, where: string): string {
  const message = error.message ?? '';
  if (/NOAUTH|WRONGPASS|invalid password|AUTH failed/i.test(message))
    return `Redis at ${where} refused the credential (give it as redis://user:password@host:port)`;
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return `the host of ${where} is not found`;
  if (error.code) return `Redis at ${where} is unreachable (${error.code})`;
  return `Redis at ${where} failed (${error.name})`;
}

/**
 * For a Node mount started from the environment: with `redisUrl` (BWP_REDIS_URL), the token store and the
 * client budget (`rateLimit`, BWP_RATE_LIMIT, else the proxy's default) shared through Redis, once Redis has
 * answered or been found away (logged once, served around); without it, nothing to override.
 */
export async function sharedStateOptions(options: {redisUrl?: string; rateLimit?: number}) {
  if (!options.redisUrl) return {};
  const redis = createRedisState({url: options.redisUrl, limit: options.rateLimit ?? DEFAULT_RATE_LIMIT});
  await redis.ready();
  return {redis, tokenStore: redis.tokenStore, rateLimiter: redis.rateLimiter};
}
