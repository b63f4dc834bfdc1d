// The client behind load balancers and CDNs: trusted peers, canonical addresses, one budget per client on every mount.
import assert from 'node:assert/strict';
import type {AddressInfo} from 'node:net';
import {describe, it} from 'node:test';
import express from 'express';
import {parseTrustedProxies} from '../../server/proxy/config.ts';
import {createLambdaHandler} from '../../server/proxy/lambda.ts';
import {expressMiddleware, serveProxy as serveNode} from '../../server/proxy/node.ts';
import {createProxy, type ConnectionInfo, type ProxyOptions} from '../../server/proxy/proxy.ts';
import {createRateLimiter} from '../../server/proxy/rate-limit.ts';
import {createWorker} from '../../server/proxy/worker.ts';
import {CLIENT_ID, CLIENT_SECRET, createAudit, fakeApi, productOffers, TARGET_ID} from './proxy-fixtures.ts';

const audit = createAudit();

const base = (api: ReturnType<typeof fakeApi>): ProxyOptions => ({
  apiUrl: 'http://api.test/graphql',
  tokenUrl: 'http://api.test/token',
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  targetId: TARGET_ID,
  fetch: api.fetch,
  logger: audit.logger,
  random: () => 0,
});

const body = (sku: string) => JSON.stringify(productOffers(sku));

const post = (sku: string, headers: Record<string, string> = {}) =>
  new Request('http://proxy.test/bwp/graphql', {
    method: 'POST',
    headers: {'content-type': 'application/json', ...headers},
    body: body(sku),
  });

/** A proxy called as a handler, with what the platform says about the connection. */
function handlerProxy(options: Partial<ProxyOptions> = {}) {
  const api = audit.watch(fakeApi());
  const proxy = createProxy({...base(api), ...options});
  let n = 0;
  return {
    api,
    send: async (connection: ConnectionInfo | undefined, headers: Record<string, string> = {}) => {
      const response = await proxy(post(`sku-${n++}`, headers), connection);
      audit.record(await response.clone().text());
      return response;
    },
    lastIp: () => (api.graphqlCalls.at(-1)!.variables.location as {ipAddress?: string}).ipAddress,
  };
}

describe('trusted proxies', () => {
  it('ignores X-Forwarded-For under a hop count when the peer is on the internet, not a private network', async () => {
    const proxy = handlerProxy({trustedProxies: 1});
    await proxy.send({clientIp: '198.51.100.9'}, {'x-forwarded-for': '203.0.113.5'});
    assert.equal(proxy.lastIp(), '198.51.100.9');
    await proxy.send({clientIp: '10.0.0.7'}, {'x-forwarded-for': '203.0.113.5'});
    assert.equal(proxy.lastIp(), '203.0.113.5');
  });

  it('keeps a rate-limited client refused whatever X-Forwarded-For it sends when reaching the proxy directly', async () => {
    const proxy = handlerProxy({trustedProxies: 1, rateLimiter: createRateLimiter({limit: 2})});
    const direct = {clientIp: '198.51.100.9'};
    assert.equal((await proxy.send(direct)).status, 200);
    assert.equal((await proxy.send(direct)).status, 200);
    assert.equal((await proxy.send(direct)).status, 429);
    const calls = proxy.api.graphqlCalls.length;
    assert.equal((await proxy.send(direct, {'x-forwarded-for': '203.0.113.5'})).status, 429);
    assert.equal(proxy.api.graphqlCalls.length, calls);
  });

  it('never takes a forwarded entry that is not an address (":::::", "127.1") for the client', async () => {
    const proxy = handlerProxy({trustedProxies: 1});
    for (const forged of [':::::', '127.1', '1.2.3.256', 'example.com', '::ffff:1.2.3']) {
      await proxy.send({clientIp: '10.0.0.7'}, {'x-forwarded-for': forged});
      assert.equal(proxy.lastIp(), '10.0.0.7', forged);
    }
  });

  it('accepts BWP_TRUSTED_PROXIES as a list of addresses, CIDRs and the words loopback, linklocal, uniquelocal', () => {
    assert.ok(parseTrustedProxies('loopback, linklocal, uniquelocal, 203.0.113.0/24, 2001:db8::1'));
    for (const bad of ['11', 'loopbackk', '10.0.0.0/33', ':::::', '1.2.3', '-1'])
      assert.throws(() => parseTrustedProxies(bad), /BWP_TRUSTED_PROXIES|trusted proxies/, bad);
  });

  it('walks X-Forwarded-For from the peer through the listed proxies only, to the first address not listed', async () => {
    const proxy = handlerProxy({trustedProxies: 'loopback, 10.0.0.0/8, 2001:db8:cafe::/48'});
    const forwarded = '6.6.6.6, 198.51.100.4, 2001:db8:cafe::9, 10.1.2.3';
    await proxy.send({clientIp: '127.0.0.1'}, {'x-forwarded-for': forwarded});
    assert.equal(proxy.lastIp(), '198.51.100.4');
    await proxy.send({clientIp: '198.51.100.200'}, {'x-forwarded-for': forwarded});
    assert.equal(proxy.lastIp(), '198.51.100.200', 'a peer not listed is the client');
    await proxy.send({clientIp: '::ffff:10.0.0.1'}, {'x-forwarded-for': '[2001:db8::5]:4711'});
    assert.equal(proxy.lastIp(), '2001:db8::5');
  });
});

describe('IPv6 clients', () => {
  it('gives every address of one IPv6 /64 one budget, so rotating addresses inside it buys nothing', async () => {
    const proxy = handlerProxy({rateLimiter: createRateLimiter({limit: 3})});
    const statuses = [];
    for (let i = 1; i <= 5; i++)
      statuses.push((await proxy.send({clientIp: `2001:db8:1:2::${i.toString(16)}`})).status);
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    assert.equal(
      (await proxy.send({clientIp: '2001:db8:1:3::1'})).status,
      200,
      'the next /64 is another client',
    );
  });

  it('knows one address by any spelling, and sends the upstream its canonical text', async () => {
    const proxy = handlerProxy({rateLimiter: createRateLimiter({limit: 2})});
    assert.equal((await proxy.send({clientIp: '2001:0DB8:0000:0000:0000:0000:0000:0001'})).status, 200);
    assert.equal(proxy.lastIp(), '2001:db8::1');
    assert.equal((await proxy.send({clientIp: '::ffff:198.51.100.9'})).status, 200);
    assert.equal(proxy.lastIp(), '198.51.100.9');
    assert.equal((await proxy.send({clientIp: '198.51.100.9'})).status, 200);
    assert.equal((await proxy.send({clientIp: '::FFFF:c633:6409'})).status, 429);
  });
});

// ---- every mount, by the rules of its platform

const lambdaBody = body('lambda');

const functionUrlEvent = (sourceIp: string, headers: Record<string, string> = {}) => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: '/bwp/graphql',
  rawQueryString: '',
  headers: {'content-type': 'application/json', host: 'abc.lambda-url.us-east-1.on.aws', ...headers},
  requestContext: {
    accountId: 'anonymous',
    apiId: 'abc',
    domainName: 'abc.lambda-url.us-east-1.on.aws',
    domainPrefix: 'abc',
    http: {method: 'POST', path: '/bwp/graphql', protocol: 'HTTP/1.1', sourceIp, userAgent: 'test'},
    requestId: 'r1',
    routeKey: '$default',
    stage: '$default',
    time: '',
    timeEpoch: 0,
  },
  body: lambdaBody,
  isBase64Encoded: false,
});

const apiGatewayV2Event = (sourceIp: string, headers: Record<string, string> = {}) => {
  const event = functionUrlEvent(sourceIp, {host: 'abc.execute-api.us-east-1.amazonaws.com', ...headers});
  event.requestContext.domainName = 'abc.execute-api.us-east-1.amazonaws.com';
  return event;
};

const apiGatewayV1Event = (sourceIp: string, headers: Record<string, string> = {}) => {
  const all = {
    'content-type': 'application/json',
    host: 'abc.execute-api.us-east-1.amazonaws.com',
    ...headers,
  };
  return {
    resource: '/{proxy+}',
    path: '/bwp/graphql',
    httpMethod: 'POST',
    headers: all,
    multiValueHeaders: Object.fromEntries(Object.entries(all).map(([name, value]) => [name, [value]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: {proxy: 'bwp/graphql'},
    stageVariables: null,
    requestContext: {
      accountId: '1',
      apiId: 'abc',
      httpMethod: 'POST',
      path: '/prod/bwp/graphql',
      stage: 'prod',
      requestId: 'r1',
      resourcePath: '/{proxy+}',
      identity: {sourceIp, userAgent: 'test'},
    },
    body: lambdaBody,
    isBase64Encoded: false,
  };
};

const albEvent = (forwardedFor: string | undefined) => ({
  requestContext: {elb: {targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/bwp/1'}},
  httpMethod: 'POST',
  path: '/bwp/graphql',
  queryStringParameters: {},
  headers: {
    'content-type': 'application/json',
    host: 'shop.example',
    ...(forwardedFor === undefined ? {} : {'x-forwarded-for': forwardedFor}),
  },
  body: lambdaBody,
  isBase64Encoded: false,
});

function lambdaProxy(options: Partial<ProxyOptions> = {}) {
  const api = audit.watch(fakeApi());
  const handler = createLambdaHandler(createProxy({...base(api), ...options}));
  return {
    api,
    send: async (event: unknown) => {
      const result = (await handler(event as never, {} as never)) as {statusCode: number; body: string};
      audit.record(result.body);
      return result;
    },
    lastIp: () => (api.graphqlCalls.at(-1)!.variables.location as {ipAddress?: string}).ipAddress,
  };
}

describe('the client on each platform', () => {
  it('Node: the socket peer is the client and a forged X-Forwarded-For is ignored by default', async () => {
    const api = audit.watch(fakeApi());
    const served = await serveNode(createProxy(base(api)), {port: 0});
    try {
      const response = await audit.fetch(`${served.url}/bwp/graphql`, {
        method: 'POST',
        headers: {'content-type': 'application/json', 'x-forwarded-for': '203.0.113.5'},
        body: body('node'),
      });
      assert.equal(response.status, 200);
      assert.deepEqual(api.graphqlCalls[0]!.variables.location, {ipAddress: '127.0.0.1'});
    } finally {
      await served.close();
    }
  });

  it('Node behind nginx on the same host (BWP_TRUSTED_PROXIES=loopback): the address nginx appended', async () => {
    const api = audit.watch(fakeApi());
    const served = await serveNode(createProxy({...base(api), trustedProxies: 'loopback'}), {port: 0});
    try {
      await audit.fetch(`${served.url}/bwp/graphql`, {
        method: 'POST',
        headers: {'content-type': 'application/json', 'x-forwarded-for': '6.6.6.6, 203.0.113.5'},
        body: body('nginx'),
      });
      assert.deepEqual(api.graphqlCalls[0]!.variables.location, {ipAddress: '203.0.113.5'});
    } finally {
      await served.close();
    }
  });

  it('Express behind a load balancer on a private network: the address it appended, not the socket', async () => {
    const api = audit.watch(fakeApi());
    const app = express();
    app.use(expressMiddleware(createProxy({...base(api), trustedProxies: ['uniquelocal', '127.0.0.1']})));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      await audit.fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/bwp/graphql`, {
        method: 'POST',
        headers: {'content-type': 'application/json', 'x-forwarded-for': '203.0.113.5, 10.0.3.4'},
        body: body('express'),
      });
      assert.deepEqual(api.graphqlCalls[0]!.variables.location, {ipAddress: '203.0.113.5'});
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  const workerEnv = {
    BWP_API_URL: 'http://api.test/graphql',
    BWP_TOKEN_URL: 'http://api.test/token',
    BWP_CLIENT_ID: CLIENT_ID,
    BWP_CLIENT_SECRET: CLIENT_SECRET,
    BWP_TARGET_ID: TARGET_ID,
  };
  // Cloudflare gives every request it runs a Worker for a `cf` object; nothing a client sends can make one.
  const onCloudflare = (request: Request) => Object.defineProperty(request, 'cf', {value: {colo: 'SEA'}});

  it('Worker on Cloudflare: CF-Connecting-IP, which Cloudflare sets, is the client', async () => {
    const api = audit.watch(fakeApi());
    const module = createWorker({options: {fetch: api.fetch, logger: audit.logger}});
    const response = await module.fetch(
      onCloudflare(post('cf', {'cf-connecting-ip': '2001:db8:9::1'})),
      workerEnv,
    );
    assert.equal(response.status, 200);
    assert.deepEqual(api.graphqlCalls[0]!.variables.location, {ipAddress: '2001:db8:9::1'});
  });

  it('Worker off Cloudflare: a CF-Connecting-IP the client wrote itself is not believed', async () => {
    const api = audit.watch(fakeApi());
    const module = createWorker({options: {fetch: api.fetch, logger: audit.logger}});
    const response = await module.fetch(post('forged', {'cf-connecting-ip': '203.0.113.5'}), workerEnv);
    audit.record(await response.text());
    assert.deepEqual(api.graphqlCalls[0]!.variables.location, {});
  });

  it('Lambda function URL: requestContext.http.sourceIp is the client', async () => {
    const lambda = lambdaProxy();
    const result = await lambda.send(functionUrlEvent('198.51.100.77', {'x-forwarded-for': '6.6.6.6'}));
    assert.equal(result.statusCode, 200);
    assert.equal(lambda.lastIp(), '198.51.100.77');
  });

  it('API Gateway HTTP API (v2): requestContext.http.sourceIp is the client', async () => {
    const lambda = lambdaProxy();
    await lambda.send(apiGatewayV2Event('2001:db8::77', {'x-forwarded-for': '6.6.6.6'}));
    assert.equal(lambda.lastIp(), '2001:db8::77');
  });

  it('API Gateway REST API (v1): requestContext.identity.sourceIp is the client', async () => {
    const lambda = lambdaProxy();
    const result = await lambda.send(apiGatewayV1Event('198.51.100.78', {'x-forwarded-for': '6.6.6.6'}));
    assert.equal(result.statusCode, 200);
    assert.equal(lambda.lastIp(), '198.51.100.78');
  });

  it('API Gateway behind CloudFront: the CloudFront ranges listed, the viewer CloudFront appended', async () => {
    const lambda = lambdaProxy({trustedProxies: '130.176.0.0/16'});
    await lambda.send(apiGatewayV1Event('130.176.9.9', {'x-forwarded-for': '6.6.6.6, 198.51.100.79'}));
    assert.equal(lambda.lastIp(), '198.51.100.79');
  });

  it('ALB: the address the load balancer appended to X-Forwarded-For, never one the client wrote', async () => {
    const lambda = lambdaProxy();
    const result = await lambda.send(albEvent('6.6.6.6, 198.51.100.80'));
    assert.equal(result.statusCode, 200);
    assert.equal(lambda.lastIp(), '198.51.100.80');
  });

  it('ALB: one abuser exhausts only its own budget, and other shoppers behind the same load balancer pass', async () => {
    const lambda = lambdaProxy({rateLimiter: createRateLimiter({limit: 2})});
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await lambda.send(albEvent('198.51.100.81'))).statusCode);
    assert.deepEqual(statuses, [200, 200, 429]);
    assert.equal((await lambda.send(albEvent('198.51.100.82'))).statusCode, 200);
  });

  it('a request whose client cannot be known has a small budget of its own, and never uses a known client’s', async () => {
    const proxy = handlerProxy({rateLimiter: createRateLimiter({limit: 20})});
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await proxy.send(undefined)).status);
    assert.deepEqual(statuses, [200, 200, 429], 'unknown clients share a tenth of one client’s budget');
    assert.deepEqual(proxy.api.graphqlCalls[0]!.variables.location, {});
    assert.equal((await proxy.send({clientIp: '198.51.100.83'})).status, 200);
  });
});
