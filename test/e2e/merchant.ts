// What the proxy package tests share: the sandbox on a real port (as `npm run sandbox` serves it), the
// environment that points a proxy at it, a product request and a Lambda event carrying one.
import {createSandbox, SANDBOX_DEFAULTS} from '../../server/sandbox/sandbox.ts';
import {serveFetch, type NodeServer} from '../../server/proxy/node.ts';

/** A SKU of the sandbox's catalog (server/sandbox/catalog.json) that offers Prime delivery. */
export const SKU = 'example-sku-1';

export const productOffersBody = () =>
  JSON.stringify({
    documentId: 'ProductOffers.v1',
    variables: {lineItems: [{product: {identifier: {sku: SKU}}, amount: {unit: 'ONE', value: 1}}]},
  });

export const startSandbox = (): Promise<NodeServer> => serveFetch(createSandbox(), {port: 0});

/** The variables `bwp-proxy` and proxyOptionsFromEnv read, naming the sandbox at `url`. */
export const sandboxEnv = (url: string): Record<string, string> => ({
  BWP_API_URL: `${url}/graphql`,
  BWP_TOKEN_URL: `${url}/token`,
  BWP_CLIENT_ID: SANDBOX_DEFAULTS.clientId,
  BWP_CLIENT_SECRET: SANDBOX_DEFAULTS.clientSecret,
  BWP_TARGET_ID: SANDBOX_DEFAULTS.targetId,
});

/** An API Gateway HTTP API (v2) event: POST /bwp/graphql from 198.51.100.77. */
export const lambdaEvent = (body: string) => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: '/bwp/graphql',
  rawQueryString: '',
  headers: {'content-type': 'application/json', host: 'abc.execute-api.us-east-1.amazonaws.com'},
  requestContext: {
    http: {
      method: 'POST',
      path: '/bwp/graphql',
      protocol: 'HTTP/1.1',
      sourceIp: '198.51.100.77',
      userAgent: 'test',
    },
    domainName: 'abc.execute-api.us-east-1.amazonaws.com',
    requestId: 'r1',
    routeKey: '$default',
    stage: '$default',
    accountId: '1',
    apiId: 'abc',
    domainPrefix: 'abc',
    time: '',
    timeEpoch: 0,
  },
  body,
  isBase64Encoded: false,
});

/** The SKUs an answer from the proxy offers (the sandbox's for a request of SKU: SKU). */
export function offeredSkus(body: string): string[] {
  const answer = JSON.parse(body) as {
    data?: {offers?: {edges?: {node?: {lineItems?: {product?: {sku?: {value?: string}}}[]}}[]}};
  };
  return (answer.data?.offers?.edges ?? []).flatMap((edge) =>
    (edge.node?.lineItems ?? []).map((item) => item.product?.sku?.value ?? '?'),
  );
}
