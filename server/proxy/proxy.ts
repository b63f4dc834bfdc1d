// createProxy: the merchant's gateway from the browser to the Buy with Prime API, as a fetch handler.
import {Hono} from 'hono';
import {ClientError, GraphQLClient} from 'graphql-request';
import {DOCUMENTS, PRODUCT_OFFERS, type PersistedDocument} from '../operations/documents.ts';
import {browserError, codeForUpstreamError, type BrowserError, type ErrorCode} from './errors.ts';
import {createTokenSource} from './token.ts';
import {InvalidRequest, validateProductOffersVariables} from './validate.ts';

export interface ProxyOptions {
  /** Upstream GraphQL endpoint, e.g. https://api.buywithprime.amazon.com/graphql. */
  apiUrl: string;
  /** OAuth2 token endpoint, e.g. https://api.buywithprime.amazon.com/token. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  targetId: string;
  apiVersion?: string;
  /** How the proxy reaches the upstream and the token endpoint (tests and in-process sandboxes inject one). */
  fetch?: typeof fetch;
  /** Upstream deadline per call, in ms. */
  timeoutMs?: number;
  /** Most documents in one batched request. */
  maxBatch?: number;
}

/** What the platform knows about the connection that the Request does not carry. */
export interface ConnectionInfo {
  clientIp?: string;
}

export type ProxyHandler = (request: Request, connection?: ConnectionInfo) => Promise<Response>;

/** Header by which the page passes the shopper's Login with Amazon access token. */
export const SHOPPER_TOKEN_HEADER = 'x-bwp-shopper-token';

interface OperationRequest {
  documentId?: unknown;
  variables?: unknown;
}

interface OperationResult {
  data?: unknown;
  errors?: BrowserError[];
}

const failure = (code: ErrorCode): OperationResult => ({data: null, errors: [browserError(code)]});

/**
 * The proxy: persisted documents only, server-owned variables, a cached access token.
 * @example
 * const proxy = createProxy({apiUrl, tokenUrl, clientId, clientSecret, targetId});
 * serve({fetch: (request, env) => proxy(request, {clientIp: env.incoming.socket.remoteAddress})});
 */
export function createProxy(options: ProxyOptions): ProxyHandler {
  const upstreamFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 3000;
  const maxBatch = options.maxBatch ?? 50;
  const tokens = createTokenSource({
    tokenUrl: options.tokenUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    fetch: upstreamFetch,
  });
  const client = new GraphQLClient(options.apiUrl, {fetch: upstreamFetch, errorPolicy: 'all'});

  function serverVariables(
    document: PersistedDocument,
    variables: unknown,
    request: Request,
    connection?: ConnectionInfo,
  ) {
    if (document !== PRODUCT_OFFERS) throw new InvalidRequest('unsupported document');
    const shopperToken = request.headers.get(SHOPPER_TOKEN_HEADER);
    if (shopperToken !== null && (shopperToken.length === 0 || shopperToken.length > 2048)) {
      throw new InvalidRequest('shopper token must be 1 to 2048 characters');
    }
    return {
      ...validateProductOffersVariables(variables),
      location: {ipAddress: connection?.clientIp ?? '127.0.0.1'},
      ...(shopperToken ? {shopperIdentity: {lwaAccessToken: {value: shopperToken}}} : {}),
    };
  }

  async function callUpstream(
    document: PersistedDocument,
    variables: Record<string, unknown>,
    retried = false,
  ): Promise<OperationResult> {
    const token = await tokens.get();
    try {
      const result = await client.rawRequest<unknown>({
        query: document.query,
        variables,
        requestHeaders: {
          authorization: `Bearer ${token}`,
          'x-api-target-id': options.targetId,
          ...(options.apiVersion ? {'x-api-version': options.apiVersion} : {}),
        },
        signal: AbortSignal.timeout(timeoutMs),
      });
      const errors = result.errors?.map((error) => browserError(codeForUpstreamError(error as never)));
      return errors?.length ? {data: result.data ?? null, errors} : {data: result.data};
    } catch (error) {
      if (error instanceof ClientError && error.response.status === 401 && !retried) {
        tokens.invalidate(token);
        return callUpstream(document, variables, true);
      }
      if (error instanceof ClientError && error.response.errors?.length) {
        return {
          data: null,
          errors: error.response.errors.map((e) => browserError(codeForUpstreamError(e as never))),
        };
      }
      return failure('unavailable');
    }
  }

  async function runOperation(
    operation: OperationRequest,
    request: Request,
    connection?: ConnectionInfo,
  ): Promise<OperationResult> {
    if (typeof operation !== 'object' || operation === null || Array.isArray(operation))
      return failure('invalid_request');
    if ('query' in operation) return failure('invalid_request');
    const document =
      typeof operation.documentId === 'string' ? DOCUMENTS.get(operation.documentId) : undefined;
    if (!document) return failure('invalid_request');
    let variables: Record<string, unknown>;
    try {
      variables = serverVariables(document, operation.variables ?? {}, request, connection);
    } catch (error) {
      if (error instanceof InvalidRequest) return failure('invalid_request');
      throw error;
    }
    try {
      return await callUpstream(document, variables);
    } catch {
      return failure('unavailable');
    }
  }

  const app = new Hono<{Bindings: {connection?: ConnectionInfo}}>();

  app.get('/bwp/health', (c) => c.json({status: 'ok'}));

  app.post('/bwp/graphql', async (c) => {
    if (!c.req.header('content-type')?.toLowerCase().startsWith('application/json')) {
      return c.json(failure('invalid_request'), 415);
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json(failure('invalid_request'), 400);
    }
    const connection = c.env?.connection;
    if (Array.isArray(body)) {
      if (body.length === 0 || body.length > maxBatch) return c.json(failure('invalid_request'), 400);
      return c.json(
        await Promise.all(body.map((op: OperationRequest) => runOperation(op, c.req.raw, connection))),
      );
    }
    return c.json(await runOperation(body as OperationRequest, c.req.raw, connection));
  });

  app.all('/bwp/graphql', (c) => c.json(failure('invalid_request'), 405, {allow: 'POST'}));

  return async (request, connection) => app.fetch(request, {connection});
}
