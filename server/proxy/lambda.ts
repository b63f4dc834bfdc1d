// The proxy on AWS Lambda (API Gateway HTTP API, REST API, ALB or a function URL) through hono/aws-lambda.
import {Hono} from 'hono';
import {handle, type LambdaEvent} from 'hono/aws-lambda';
import type {ProxyHandler} from './proxy.ts';

/** The caller's address as API Gateway (v1 or v2) or a function URL reports it. */
function sourceIp(event: LambdaEvent | undefined): string | undefined {
  const context = (event as {requestContext?: {http?: {sourceIp?: string}; identity?: {sourceIp?: string}}})
    ?.requestContext;
  return context?.http?.sourceIp ?? context?.identity?.sourceIp;
}

/**
 * A Lambda handler for the proxy; the client IP is the one API Gateway saw (set trustedProxies to 0).
 * @example
 * // handler.ts
 * export const handler = createLambdaHandler(createProxy(proxyOptionsFromEnv(process.env)));
 */
export function createLambdaHandler(proxy: ProxyHandler) {
  const app = new Hono<{Bindings: {event: LambdaEvent}}>();
  app.all('/bwp/*', (c) => proxy(c.req.raw, {clientIp: sourceIp(c.env?.event)}));
  return handle(app);
}
