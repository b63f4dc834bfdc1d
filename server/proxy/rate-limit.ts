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

/** The in-memory limiter also says how many clients it remembers (for tests and metrics). */
export interface MemoryRateLimiter extends RateLimiter {
  take(key: string, cost: number): RateLimitDecision;
  readonly size: number;
}

/**
 * An in-memory token bucket per key: `limit` items at once, refilling at limit/window. At `maxKeys`
 * clients it forgets the full buckets, then the fullest (least recently used first among equals), down to
 * nine tenths of `maxKeys`: forgetting a bucket refills it, so the emptiest, an abuser's, go last.
 * @example
 * createProxy({...options, rateLimiter: createRateLimiter({limit: 600, windowMs: 60_000})});
 */
export function createRateLimiter(options: RateLimitOptions = {}): MemoryRateLimiter {
  const limit = options.limit ?? 600;
  const windowMs = options.windowMs ?? 60_000;
  const maxKeys = Math.max(1, options.maxKeys ?? 10_000);
  const now = options.now ?? Date.now;
  const perMs = limit / windowMs;
  // Map order is recency: every take moves its key to the end.
  const buckets = new Map<string, {tokens: number; at: number}>();

  const tokensAt = (bucket: {tokens: number; at: number}, time: number) =>
    Math.min(limit, bucket.tokens + (time - bucket.at) * perMs);

  function prune(time: number) {
    for (const [key, bucket] of buckets) if (tokensAt(bucket, time) >= limit) buckets.delete(key);
    // Forget a tenth at once, so a stream of new clients sorts once per maxKeys/10 of them, not every time.
    const keep = Math.floor(maxKeys * 0.9);
    if (buckets.size <= keep) return;
    // The sort is stable, so among equally full buckets the least recently used go first.
    const fullestFirst = [...buckets].sort(([, a], [, b]) => tokensAt(b, time) - tokensAt(a, time));
    for (const [key] of fullestFirst.slice(0, buckets.size - keep)) buckets.delete(key);
  }

  return {
    take(key, cost) {
      const time = now();
      let bucket = buckets.get(key);
      if (bucket) buckets.delete(key);
      else {
        if (buckets.size >= maxKeys) prune(time);
        bucket = {tokens: limit, at: time};
      }
      buckets.set(key, bucket);
      bucket.tokens = tokensAt(bucket, time);
      bucket.at = time;
      if (cost <= bucket.tokens) {
        bucket.tokens -= cost;
        return {ok: true, retryAfterSeconds: 0};
      }
      const missing = Math.min(cost, limit) - bucket.tokens;
      return {ok: false, retryAfterSeconds: Math.max(1, Math.ceil(missing / perMs / 1000))};
    },
    get size() {
      return buckets.size;
    },
  };
}
