// The proxy on AWS Lambda (API Gateway HTTP API, REST API, ALB or a function URL) through hono/aws-lambda.
import {Hono} from 'hono';
import {handle, type LambdaEvent} from 'hono/aws-lambda';
import type {ConnectionInfo, ProxyHandler} from './proxy.ts';

interface EventShape {
  requestContext?: {http?: {sourceIp?: string}; identity?: {sourceIp?: string}; elb?: unknown};
}

/**
 * Where the event says the request came from. API Gateway (v1 and v2) and function URLs give the peer
 * they saw as `sourceIp`. An ALB gives none: it appends its peer to X-Forwarded-For (the default
 * `append` mode), so the last entry is the peer and only the entries before it are forwarded claims.
 */
export function lambdaConnection(event: LambdaEvent | undefined, request: Request): ConnectionInfo {
  const context = (event as EventShape | undefined)?.requestContext;
  const sourceIp = context?.http?.sourceIp ?? context?.identity?.sourceIp;
  if (sourceIp) return {clientIp: sourceIp};
  if (context && 'elb' in context) {
    const entries = (request.headers.get('x-forwarded-for') ?? '').split(',').map((entry) => entry.trim());
    const peer = entries.pop();
    return {clientIp: peer || undefined, forwardedFor: entries.join(',')};
  }
  return {};
}

/**
 * A Lambda handler for the proxy: the client is the one API Gateway, the function URL or the ALB saw
 * (behind CloudFront, list CloudFront's ranges in trustedProxies).
 * @example
 * // handler.ts
 * export const handler = createLambdaHandler(createProxy(proxyOptionsFromEnv(process.env)));
 */
export function createLambdaHandler(proxy: ProxyHandler) {
  const app = new Hono<{Bindings: {event: LambdaEvent}}>();
  app.all('/bwp/*', (c) => proxy(c.req.raw, lambdaConnection(c.env?.event, c.req.raw)));
  return handle(app);
}
