// createSandbox: a local stand-in for the Buy with Prime API (POST /token, POST /graphql, GET /graphql IDE), as a fetch handler.
import {Hono} from 'hono';
import {GraphQLError, graphql, type ExecutionResult} from 'graphql';
import {createAuth} from './auth.ts';
import {createCatalog, type Catalog} from './catalog.ts';
import {accessDenied, BwpApiError, errorEnvelope, internalError} from './errors.ts';
import {
  applyFault,
  createThrottle,
  FAULT_HEADER,
  json,
  parseFaultHeader,
  throttledResponse,
  type Fault,
  type FaultOption,
} from './faults.ts';
import {idePage} from './ide.ts';
import {rootValue, type SandboxContext} from './resolvers/index.ts';
import {createSchema} from './schema.ts';
import {createStore} from './store.ts';

export interface SandboxOptions {
  clientId?: string;
  clientSecret?: string;
  targetId?: string;
  /** Access token lifetime, in seconds (the API's is 15 minutes). */
  tokenTtlSeconds?: number;
  /** The clock every delivery date, offer expiry and token expiry is computed from. */
  now?: () => Date;
  /** The products (createCatalog(products)); the bundled catalog.json by default. */
  catalog?: Catalog;
  /** How long an offer can become an order and a known shopper's delivery offer lasts, in seconds (15 minutes). */
  offerTtlSeconds?: number;
  /**
   * Past `limit` GraphQL requests within `windowMs`, answer ThrottlingError (HTTP 429). The window runs on real
   * time (`now`, default Date.now), not on the business clock above, which may be frozen.
   */
  throttle?: {limit: number; windowMs: number; now?: () => number};
  /** Faults for every request, or chosen per request. */
  faults?: FaultOption;
  /** Honour the x-sandbox-fault request header (`status=503`, `latency=300`, `malformed`, `drop`, `throttle`). */
  allowFaultHeaders?: boolean;
  /** Postal code of a shopper IP address; unknown ones are placed in Seattle (98109). */
  locateIp?: (ip: string) => string | undefined;
  /** Called with each GraphQL request it runs (a request log for tests and the dev stack). */
  onGraphql?: (request: {operationName?: string; variables?: Record<string, unknown>}) => void;
}

export type FetchHandler = (request: Request) => Promise<Response>;

const IN_PROCESS_ORIGIN = 'http://sandbox.invalid';

/**
 * The sandbox as a proxy's upstream in this process: its URLs, its default credentials and a fetch that calls it
 * without a socket. The Node entry and the dev stack give it to proxyOptionsFromEnv when BWP_API_URL is not set.
 * @example
 * const proxy = createProxy(proxyOptionsFromEnv(process.env, () => sandboxUpstream()));
 */
export function sandboxUpstream(sandbox: FetchHandler = createSandbox()) {
  const fetch: typeof globalThis.fetch = (input, init) => sandbox(new Request(input, init));
  return {
    apiUrl: `${IN_PROCESS_ORIGIN}/graphql`,
    tokenUrl: `${IN_PROCESS_ORIGIN}/token`,
    ...SANDBOX_DEFAULTS,
    fetch,
  };
}

export const SANDBOX_DEFAULTS = {
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-secret',
  targetId: 'sandbox-target',
} as const;

const MAX_BODY_BYTES = 1_000_000;

/** Errors a resolver did not mean to show (bugs) become an InternalServerError; nothing internal leaks. */
function maskUnexpected(result: ExecutionResult): ExecutionResult {
  if (!result.errors) return result;
  const errors = result.errors.map((error) => {
    const original = error.originalError;
    if (!original || original instanceof BwpApiError || original instanceof GraphQLError) return error;
    const masked = internalError();
    return new GraphQLError(masked.message, {
      nodes: error.nodes,
      path: error.path,
      extensions: masked.extensions,
    });
  });
  return {...result, errors};
}

/**
 * A Buy with Prime API that runs offline.
 * @example
 * const sandbox = createSandbox({now: () => new Date('2026-11-20T15:00:00Z')});
 * const response = await sandbox(new Request('http://sandbox/token', {method: 'POST', body: form}));
 */
export function createSandbox(options: SandboxOptions = {}): FetchHandler {
  const credentials = {
    clientId: options.clientId ?? SANDBOX_DEFAULTS.clientId,
    clientSecret: options.clientSecret ?? SANDBOX_DEFAULTS.clientSecret,
    targetId: options.targetId ?? SANDBOX_DEFAULTS.targetId,
  };
  const now = options.now ?? (() => new Date());
  const auth = createAuth(credentials, options.tokenTtlSeconds ?? 900, now);
  const throttle = options.throttle
    ? createThrottle(options.throttle.limit, options.throttle.windowMs, options.throttle.now)
    : undefined;
  const schema = createSchema();
  const catalog = options.catalog ?? createCatalog();
  const context: SandboxContext = {
    catalog,
    store: createStore(),
    now,
    offerTtlMs: (options.offerTtlSeconds ?? 900) * 1000,
    locateIp: options.locateIp ?? (() => undefined),
  };
  // The IDE page shows the public sandbox credentials, never configured ones.
  const pageDefaults = {
    clientId: credentials.clientId === SANDBOX_DEFAULTS.clientId ? credentials.clientId : '',
    clientSecret: credentials.clientSecret === SANDBOX_DEFAULTS.clientSecret ? credentials.clientSecret : '',
    targetId: credentials.targetId === SANDBOX_DEFAULTS.targetId ? credentials.targetId : '',
  };

  function faultFor(request: Request): Fault | undefined {
    const header = request.headers.get(FAULT_HEADER);
    if (options.allowFaultHeaders && header) return parseFaultHeader(header);
    return typeof options.faults === 'function' ? options.faults(request) : options.faults;
  }

  async function injected(request: Request, route: 'graphql' | 'token') {
    try {
      return await applyFault(faultFor(request), route);
    } catch (error) {
      return json({errors: [{message: (error as Error).message}]}, 400);
    }
  }

  const app = new Hono();

  app.post('/token', async (c) => {
    const fault = await injected(c.req.raw, 'token');
    if (fault) return fault;
    const result = await auth.issue(c.req.raw);
    return json(result.body, result.ok ? 200 : result.status, {'cache-control': 'no-store'});
  });

  app.get('/graphql', (c) => c.html(idePage(pageDefaults)));

  app.post('/graphql', async (c) => {
    const fault = await injected(c.req.raw, 'graphql');
    if (fault) return fault;
    const denied = auth.check(c.req.raw);
    if (denied) return json(errorEnvelope(accessDenied()), denied.status);
    const wait = throttle?.take() ?? 0;
    if (wait > 0) return throttledResponse(wait);

    const text = await c.req.text();
    if (text.length > MAX_BODY_BYTES) return json({errors: [{message: 'Request body is too large'}]}, 413);
    let body: {query?: unknown; variables?: unknown; operationName?: unknown};
    try {
      body = JSON.parse(text);
    } catch {
      return json({errors: [{message: 'Request body is not valid JSON'}]}, 400);
    }
    if (typeof body !== 'object' || body === null || typeof body.query !== 'string') {
      return json({errors: [{message: 'Request body needs a "query" string'}]}, 400);
    }
    const variables = body.variables ?? undefined;
    if (variables !== undefined && (typeof variables !== 'object' || Array.isArray(variables))) {
      return json({errors: [{message: '"variables" must be an object'}]}, 400);
    }
    options.onGraphql?.({
      operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
      variables: variables as Record<string, unknown> | undefined,
    });
    const result = await graphql({
      schema,
      source: body.query,
      variableValues: variables as Record<string, unknown> | undefined,
      operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
      rootValue,
      contextValue: context,
    });
    return json({...maskUnexpected(result), extensions: {}}, 200);
  });

  app.notFound(() =>
    json({errors: [{message: 'Not found: use POST /token, POST /graphql or GET /graphql'}]}, 404),
  );

  return async (request) => app.fetch(request);
}
