// createSandbox: a local stand-in for the Buy with Prime API (POST /token, POST /graphql), as a fetch handler.
import {Hono} from 'hono';
import {buildSchema, graphql, GraphQLScalarType, type GraphQLSchema} from 'graphql';
import {createCatalog, type Catalog} from './catalog.ts';
import {accessDenied} from './errors.ts';
import {LenientBoolean, offers, type SandboxContext} from './resolvers.ts';
import {typeDefs} from './schema.ts';

export interface SandboxOptions {
  clientId?: string;
  clientSecret?: string;
  targetId?: string;
  /** Access token lifetime, in seconds (the API's is 15 minutes). */
  tokenTtlSeconds?: number;
  /** The clock every date is computed from. */
  now?: () => Date;
  catalog?: Catalog;
}

export type FetchHandler = (request: Request) => Promise<Response>;

export const SANDBOX_DEFAULTS = {
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-secret',
  targetId: 'sandbox-target',
} as const;

function createSchema(): GraphQLSchema {
  const schema = buildSchema(typeDefs);
  const scalar = schema.getType('LenientBoolean') as GraphQLScalarType;
  Object.assign(scalar, {
    serialize: LenientBoolean.serialize,
    parseValue: LenientBoolean.parseValue,
    parseLiteral: LenientBoolean.parseLiteral,
  });
  return schema;
}

function readClientCredentials(request: Request, form: URLSearchParams): [string, string] | undefined {
  const basic = request.headers.get('authorization')?.match(/^Basic\s+(.+)$/i);
  if (basic) {
    const decoded = atob(basic[1]!);
    const colon = decoded.indexOf(':');
    if (colon > 0)
      return [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id && secret ? [id, secret] : undefined;
}

const errorEnvelope = (error: ReturnType<typeof accessDenied>) => ({
  errors: [{message: error.message, extensions: error.extensions}],
  data: null,
});

/**
 * A Buy with Prime API that runs offline.
 * @example
 * const sandbox = createSandbox({now: () => new Date('2026-11-20T15:00:00Z')});
 * const response = await sandbox(new Request('http://sandbox/token', {method: 'POST', body: form}));
 */
export function createSandbox(options: SandboxOptions = {}): FetchHandler {
  const clientId = options.clientId ?? SANDBOX_DEFAULTS.clientId;
  const clientSecret = options.clientSecret ?? SANDBOX_DEFAULTS.clientSecret;
  const targetId = options.targetId ?? SANDBOX_DEFAULTS.targetId;
  const ttl = options.tokenTtlSeconds ?? 900;
  const now = options.now ?? (() => new Date());
  const schema = createSchema();
  const tokens = new Map<string, number>();
  let sequence = 0;
  const context: SandboxContext = {
    catalog: options.catalog ?? createCatalog(),
    now,
    newId: (prefix) => `${prefix}-${(++sequence).toString(36).padStart(6, '0')}`,
  };

  const app = new Hono();

  app.post('/token', async (c) => {
    const form = new URLSearchParams(await c.req.text());
    if (form.get('grant_type') !== 'client_credentials') {
      return c.json({error: 'unsupported_grant_type'}, 400);
    }
    const credentials = readClientCredentials(c.req.raw, form);
    if (!credentials || credentials[0] !== clientId || credentials[1] !== clientSecret) {
      return c.json({error: 'invalid_client'}, 401);
    }
    const token = `sbx.${crypto.randomUUID()}`;
    tokens.set(token, now().getTime() + ttl * 1000);
    return c.json({access_token: token, token_type: 'bearer', expires_in: ttl});
  });

  app.post('/graphql', async (c) => {
    const bearer = c.req.header('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1];
    const expiry = bearer ? tokens.get(bearer) : undefined;
    if (expiry === undefined || expiry <= now().getTime()) return c.json(errorEnvelope(accessDenied()), 401);
    if (c.req.header('x-api-target-id') !== targetId) return c.json(errorEnvelope(accessDenied()), 403);
    let body: {query?: unknown; variables?: unknown; operationName?: unknown};
    try {
      body = await c.req.json();
    } catch {
      return c.json({errors: [{message: 'Body is not valid JSON'}]}, 400);
    }
    if (typeof body.query !== 'string') return c.json({errors: [{message: 'Missing query'}]}, 400);
    const result = await graphql({
      schema,
      source: body.query,
      variableValues: (body.variables ?? undefined) as Record<string, unknown> | undefined,
      operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
      rootValue: {offers},
      contextValue: context,
    });
    return c.json(result);
  });

  return async (request) => app.fetch(request);
}
