// Access tokens by OAuth2 client credentials: cached, refreshed ahead of expiry, one refresh at a time, with backoff.

/** An access token and when it stops working (ms since the epoch). */
export interface StoredToken {
  token: string;
  expiresAt: number;
  /** When it was issued (ms since the epoch); with it, the refresh margins shrink for short-lived tokens. */
  issuedAt?: number;
}

/**
 * Where tokens are kept between requests. The in-memory default serves one process; a shared store
 * (Redis, Workers KV, a database row) lets many instances use one token instead of one each.
 */
export interface TokenStore {
  get(): Promise<StoredToken | undefined>;
  set(token: StoredToken): Promise<void>;
  /**
   * Optional: run `refresh` while holding a lock shared by every instance, so only one of them calls the
   * token endpoint (e.g. Redis `SET key NX PX 10000`). Without it each cold instance fetches once.
   */
  withLock?<T>(refresh: () => Promise<T>): Promise<T>;
}

/**
 * A store in this process's memory; give the same one to several proxies to share a token.
 * @example
 * const store = memoryTokenStore();
 * const a = createProxy({...options, tokenStore: store});
 * const b = createProxy({...options, tokenStore: store});
 */
export function memoryTokenStore(): TokenStore {
  let stored: StoredToken | undefined;
  let lock: Promise<unknown> = Promise.resolve();
  return {
    get: async () => stored,
    set: async (token) => {
      stored = token;
    },
    withLock(refresh) {
      const run = lock.then(refresh, refresh);
      lock = run.catch(() => undefined);
      return run;
    },
  };
}

export interface TokenSourceOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  fetch: typeof fetch;
  store?: TokenStore;
  now?: () => number;
  /** Start a background refresh this long before expiry, in ms (default 3 minutes of a 15-minute token). */
  refreshAheadMs?: number;
  /** A token with less life than this left is not used at all; the caller waits for a new one (default 30 s). */
  minValidityMs?: number;
  /** First wait after a failed token call; it doubles on every failure up to `maxBackoffMs` (defaults 1 s, 30 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Deadline of one token call, in ms (default 3 s). */
  timeoutMs?: number;
  /**
   * Told once, the first time the store fails (a store failure is a cache miss: the token is fetched
   * directly). Default: one console.warn. The report names the operation and the error's name, never its text.
   */
  onStoreError?: (report: {operation: 'get' | 'set' | 'withLock'; error: string}) => void;
}

export interface TokenSource {
  /** A valid access token; waits for a refresh only when the cached one is missing or nearly expired. */
  get(): Promise<string>;
  /** Forget a token the upstream refused (HTTP 401); the next get() fetches a new one. */
  invalidate(token: string): void;
  /** Token endpoint calls made so far (for logs and tests). */
  readonly calls: number;
}

/** The token endpoint failed, or is in its backoff window; the message never carries a body or a secret. */
export class TokenError extends Error {}

/**
 * A token source for one set of client credentials.
 * @example
 * const tokens = createTokenSource({tokenUrl, clientId, clientSecret, fetch});
 * const headers = {authorization: `Bearer ${await tokens.get()}`};
 */
export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const now = options.now ?? Date.now;
  const store = options.store ?? memoryTokenStore();
  const refreshAhead = options.refreshAheadMs ?? 180_000;
  const minValidity = options.minValidityMs ?? 30_000;
  const baseBackoff = options.backoffMs ?? 1000;
  const maxBackoff = options.maxBackoffMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 3000;
  let cached: StoredToken | undefined;
  let rejected: string | undefined;
  let inFlight: Promise<StoredToken> | undefined;
  let storeRead: Promise<StoredToken | undefined> | undefined;
  let failures = 0;
  let retryAt = 0;
  let calls = 0;
  let storeFailed = false;

  // A store's error can carry its connection string: only its name is ever reported.
  function storeError(operation: 'get' | 'set' | 'withLock', error: unknown) {
    if (storeFailed) return;
    storeFailed = true;
    const report = {operation, error: error instanceof Error ? error.name : typeof error};
    if (options.onStoreError) options.onStoreError(report);
    else
      console.warn(
        `bwp-proxy: the token store failed (${operation}: ${report.error}); fetching tokens directly`,
      );
  }

  async function storedToken(): Promise<StoredToken | undefined> {
    try {
      const token = await store.get();
      return wellFormed(token) ? token : undefined;
    } catch (error) {
      storeError('get', error);
      return undefined;
    }
  }

  // A token shorter-lived than the margins (a 10 s sandbox token) would be refreshed on every request: the
  // margins are then a share of its lifetime (refresh at 75 %, stop using at 90 %).
  const lifetime = (token: StoredToken) =>
    token.issuedAt === undefined ? Infinity : token.expiresAt - token.issuedAt;
  const usable = (token: StoredToken | undefined): token is StoredToken =>
    wellFormed(token) &&
    token.token !== rejected &&
    token.expiresAt - Math.min(minValidity, lifetime(token) * 0.1) > now();
  const fresh = (token: StoredToken) =>
    token.expiresAt - Math.min(refreshAhead, lifetime(token) * 0.25) > now();

  async function callTokenEndpoint(): Promise<StoredToken> {
    calls++;
    const response = await options.fetch(options.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        authorization: `Basic ${btoa(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`)}`,
      },
      body: new URLSearchParams({grant_type: 'client_credentials'}).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The body of a failed token call is never read: it could echo what we sent.
    if (!response.ok) {
      await response.body?.cancel();
      throw new TokenError(`token endpoint answered ${response.status}`);
    }
    const body = (await response.json()) as {access_token?: unknown; expires_in?: unknown};
    if (
      typeof body.access_token !== 'string' ||
      typeof body.expires_in !== 'number' ||
      body.expires_in <= 0
    ) {
      throw new TokenError('token endpoint answered without access_token/expires_in');
    }
    const issuedAt = now();
    return {token: body.access_token, expiresAt: issuedAt + body.expires_in * 1000, issuedAt};
  }

  async function refresh(): Promise<StoredToken> {
    // Another instance sharing the store may have refreshed already.
    const shared = await storedToken();
    if (usable(shared) && fresh(shared)) return shared;
    if (now() < retryAt) throw new TokenError('token endpoint is backing off');
    try {
      const token = await callTokenEndpoint();
      failures = 0;
      retryAt = 0;
      await Promise.resolve()
        .then(() => store.set(token))
        .catch((error: unknown) => storeError('set', error));
      return token;
    } catch (error) {
      failures++;
      retryAt = now() + Math.min(maxBackoff, baseBackoff * 2 ** (failures - 1));
      throw error instanceof TokenError ? error : new TokenError('token endpoint unreachable');
    }
  }

  // A lock that cannot be had is no reason to go without a token: refresh without it (one extra call at most).
  async function lockedRefresh(): Promise<StoredToken> {
    if (!store.withLock) return refresh();
    let ran = false;
    try {
      return await store.withLock(() => {
        ran = true;
        return refresh();
      });
    } catch (error) {
      if (ran) throw error;
      storeError('withLock', error);
      return refresh();
    }
  }

  function startRefresh(): Promise<StoredToken> {
    inFlight ??= lockedRefresh()
      .then((token) => (cached = token))
      .finally(() => (inFlight = undefined));
    return inFlight;
  }

  return {
    async get() {
      if (!usable(cached)) {
        // Cold requests share one store read: a burst costs one KV or Redis read per instance, not one each.
        storeRead ??= storedToken().finally(() => (storeRead = undefined));
        const shared = await storeRead;
        if (usable(shared)) cached = shared;
      }
      if (usable(cached)) {
        // Still good for a while: refresh in the background; a failure there only starts the backoff.
        if (!fresh(cached) && now() >= retryAt) startRefresh().catch(() => undefined);
        return cached.token;
      }
      return (await startRefresh()).token;
    },
    invalidate(token) {
      rejected = token;
      if (cached?.token === token) cached = undefined;
    },
    get calls() {
      return calls;
    },
  };
}

/** A stored value that is a token at all: a shared store can hold anything another version wrote. */
function wellFormed(token: unknown): token is StoredToken {
  const value = token as StoredToken | undefined;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof value.token === 'string' &&
    value.token !== '' &&
    Number.isFinite(value.expiresAt) &&
    (value.issuedAt === undefined || Number.isFinite(value.issuedAt))
  );
}
