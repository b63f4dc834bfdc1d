// The proxy package's main entry (`@bwp/proxy`, packages/proxy): the fetch handler and what configures it.
// The mounts are entries of their own (`@bwp/proxy/node`, `/express`, `/worker`, `/lambda`), so a
// Worker never loads node:http and a Node server never loads the Lambda adapter.
export {createProxy, DEFAULT_MAX_BODY_BYTES, GRAPHQL_PATH, HEALTH_PATH} from './proxy.ts';
export type {ConnectionInfo, IdentityTokenInput, ProxyHandler, ProxyOptions} from './proxy.ts';
export {parseAllowedOrigins, parseTrustedProxies, proxyOptionsFromEnv} from './config.ts';
export type {FallbackUpstream, ProxyEnv} from './config.ts';
export {jsonLinesLogger, silentLogger} from './log.ts';
export type {Logger, RequestLog} from './log.ts';
export {memoryTokenStore} from './token.ts';
export type {StoredToken, TokenStore} from './token.ts';
export {createRateLimiter} from './rate-limit.ts';
export type {RateLimitDecision, RateLimiter, RateLimitOptions} from './rate-limit.ts';
export {createCircuitBreaker} from './upstream.ts';
export type {CircuitBreaker, CircuitBreakerOptions} from './upstream.ts';
export type {TrustedProxies} from './client-address.ts';
export type {ErrorCode} from '../../src/api/protocol.ts';
