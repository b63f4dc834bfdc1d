// Rate limiting per client IP: a token bucket per key, each batch item costing one token.

export interface RateLimitDecision {
  ok: boolean;
  /** Seconds until the request would pass (when refused). */
  retryAfterSeconds: number;
}

/** Any limiter the proxy can ask; swap in a shared one (Redis, the Workers rate-limit binding) for many instances. */
export interface RateLimiter {
  take(key: string, cost: number): RateLimitDecision | Promise<RateLimitDecision>;
}

export interface RateLimitOptions {
  /** Items (documents) a client may send per window (default 600). */
  limit?: number;
  /** Window over which `limit` refills, in ms (default 60 s). */
  windowMs?: number;
  /** Clients remembered at most; the fullest buckets are forgotten first (default 10,000). */
  maxKeys?: number;
  now?: () => number;
}

/**
 * An in-memory token bucket per key: `limit` items at once, refilling at limit/window.
 * @example
 * createProxy({...options, rateLimiter: createRateLimiter({limit: 600, windowMs: 60_000})});
 */
export function createRateLimiter(options: RateLimitOptions = {}): RateLimiter {
  const limit = options.limit ?? 600;
  const windowMs = options.windowMs ?? 60_000;
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  const perMs = limit / windowMs;
  const buckets = new Map<string, {tokens: number; at: number}>();

  function prune(time: number) {
    for (const [key, bucket] of buckets) {
      if (bucket.tokens + (time - bucket.at) * perMs >= limit) buckets.delete(key);
    }
    // Still full of active clients: drop the oldest entries (Map keeps insertion order).
    for (const key of buckets.keys()) {
      if (buckets.size < maxKeys) break;
      buckets.delete(key);
    }
  }

  return {
    take(key, cost) {
      const time = now();
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= maxKeys) prune(time);
        bucket = {tokens: limit, at: time};
        buckets.set(key, bucket);
      }
      bucket.tokens = Math.min(limit, bucket.tokens + (time - bucket.at) * perMs);
      bucket.at = time;
      if (cost <= bucket.tokens) {
        bucket.tokens -= cost;
        return {ok: true, retryAfterSeconds: 0};
      }
      const missing = Math.min(cost, limit) - bucket.tokens;
      return {ok: false, retryAfterSeconds: Math.max(1, Math.ceil(missing / perMs / 1000))};
    },
  };
}
