// Access tokens by OAuth2 client credentials: cached, refreshed ahead of expiry, one refresh at a time.

export interface TokenSourceOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  fetch: typeof fetch;
  now?: () => number;
  /** Refresh this long before the token expires, in ms. */
  refreshMarginMs?: number;
}

export interface TokenSource {
  /** A valid access token, fetching one if the cached one is missing or near expiry. */
  get(): Promise<string>;
  /** Forget the cached token (the upstream said it is no longer valid). */
  invalidate(token: string): void;
}

export class TokenError extends Error {}

export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? 60_000;
  let cached: {token: string; expiresAt: number} | undefined;
  let inFlight: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const response = await options.fetch(options.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${btoa(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`)}`,
      },
      body: new URLSearchParams({grant_type: 'client_credentials'}).toString(),
    });
    // The body of a failed token call is never read: it could echo what we sent.
    if (!response.ok) throw new TokenError(`token endpoint answered ${response.status}`);
    const body = (await response.json()) as {access_token?: unknown; expires_in?: unknown};
    if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw new TokenError('token endpoint answered without access_token/expires_in');
    }
    cached = {token: body.access_token, expiresAt: now() + body.expires_in * 1000};
    return body.access_token;
  }

  return {
    get() {
      if (cached && cached.expiresAt - margin > now()) return Promise.resolve(cached.token);
      inFlight ??= fetchToken().finally(() => (inFlight = undefined));
      return inFlight;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}
