// Auth like the API: client credentials for a 15-minute bearer token at /token; bearer + x-api-target-id at /graphql.

export interface Credentials {
  clientId: string;
  clientSecret: string;
  targetId: string;
}

export type TokenResult =
  | {ok: true; body: {access_token: string; token_type: 'bearer'; expires_in: number}}
  | {ok: false; status: 400 | 401; body: {error: string; error_description: string}};

function readClientCredentials(request: Request, form: URLSearchParams): [string, string] | undefined {
  const basic = request.headers.get('authorization')?.match(/^Basic\s+(\S+)$/i);
  if (basic) {
    try {
      const decoded = atob(basic[1]!);
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        return [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
      }
    } catch {
      return undefined;
    }
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id && secret ? [id, secret] : undefined;
}

/**
 * Issues and checks access tokens; tokens live in memory until they expire.
 * @example
 * const auth = createAuth(credentials, 900, () => new Date());
 * const result = await auth.issue(request); // POST /token
 */
export function createAuth(credentials: Credentials, ttlSeconds: number, now: () => Date) {
  const tokens = new Map<string, number>();

  function sweep(at: number) {
    for (const [token, expiry] of tokens) if (expiry <= at) tokens.delete(token);
  }

  return {
    async issue(request: Request): Promise<TokenResult> {
      const form = new URLSearchParams(await request.text());
      if (form.get('grant_type') !== 'client_credentials') {
        return {
          ok: false,
          status: 400,
          body: {error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials'},
        };
      }
      const given = readClientCredentials(request, form);
      if (!given || given[0] !== credentials.clientId || given[1] !== credentials.clientSecret) {
        return {
          ok: false,
          status: 401,
          body: {error: 'invalid_client', error_description: 'Unknown client credentials'},
        };
      }
      const at = now().getTime();
      sweep(at);
      const token = `sbx.${crypto.randomUUID()}`;
      tokens.set(token, at + ttlSeconds * 1000);
      return {ok: true, body: {access_token: token, token_type: 'bearer', expires_in: ttlSeconds}};
    },

    /** 401 for a missing, unknown or expired bearer token, 403 for a wrong target id, else undefined. */
    check(request: Request): {status: 401 | 403; reason: string} | undefined {
      const bearer = request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
      const expiry = bearer ? tokens.get(bearer) : undefined;
      if (expiry === undefined) return {status: 401, reason: bearer ? 'unknown token' : 'no bearer token'};
      if (expiry <= now().getTime()) return {status: 401, reason: 'expired token'};
      // Partner apps send X-Omni-InstallationId instead (Amazon's sample code); both are accepted.
      const target = request.headers.get('x-api-target-id') ?? request.headers.get('x-omni-installationid');
      if (target !== credentials.targetId) {
        return {status: 403, reason: 'wrong or missing x-api-target-id'};
      }
      return undefined;
    },

    /** The token of an authorized request (throttling is per token's client). */
    bearerOf: (request: Request) =>
      request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? '',
  };
}
