import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {pathOf} from '../../server/proxy/middleware.ts';
import {createRateLimiter} from '../../server/proxy/rate-limit.ts';
import {
  callProxy,
  createAudit,
  fakeApi,
  productOffers,
  serveProxy,
  SHOPPER_TOKEN,
  withProxy as withProxyOf,
  type Envelope,
  type ProxyStarter,
  type ProxyUnderTest,
} from './proxy-fixtures.ts';

const SHOP = 'https://shop.example';

describe('proxy HTTP hygiene', () => {
  const audit = createAudit();

  const over =
    (start: ProxyStarter) =>
    (
      options: Parameters<typeof withProxyOf>[2],
      run: (proxy: ProxyUnderTest, api: ReturnType<typeof fakeApi>) => Promise<void>,
      api = fakeApi(),
    ) =>
      withProxyOf(audit, api, options, (proxy) => run(proxy, api), start);
  // Over real HTTP where a test is about the headers and addresses on the wire; the handler directly otherwise.
  const withProxy = over(serveProxy);
  const withHandler = over(callProxy);

  it('echoes an allowed origin with Vary: Origin, and gives other origins no CORS header', async () => {
    await withProxy({allowedOrigins: [SHOP]}, async (proxy, api) => {
      const allowed = await proxy.post(productOffers('a'), {origin: SHOP});
      assert.equal(allowed.status, 200);
      assert.equal(allowed.headers.get('access-control-allow-origin'), SHOP);
      assert.match(allowed.headers.get('vary')!, /Origin/);
      const sameOrigin = await proxy.post(productOffers('b'), {origin: proxy.url});
      assert.equal(sameOrigin.status, 200);
      const noOrigin = await proxy.post(productOffers('c'));
      assert.equal(noOrigin.headers.get('access-control-allow-origin'), null);
      assert.match(noOrigin.headers.get('vary')!, /Origin/);
      const lookalike = await proxy.post(productOffers('d'), {origin: 'https://shop.example.evil.test'});
      assert.equal(lookalike.status, 403);
      assert.equal(lookalike.headers.get('access-control-allow-origin'), null);
      assert.equal(api.graphqlCalls.length, 3);
    });
  });

  it('writes each header of an answer once, whichever way the answer was made', async () => {
    await withProxy({allowedOrigins: [SHOP]}, async (proxy) => {
      const answers = [
        await proxy.post(productOffers('a'), {origin: SHOP}),
        await proxy.post('{', {origin: SHOP}),
        await audit.fetch(`${proxy.url}/bwp/graphql`, {
          method: 'OPTIONS',
          headers: {origin: 'https://evil.example', 'access-control-request-method': 'POST'},
        }),
      ];
      for (const answer of answers) {
        // fetch joins a repeated header with ", ": a header written twice shows here.
        assert.equal(answer.headers.get('vary'), 'Origin');
        assert.equal(answer.headers.get('x-frame-options'), 'DENY');
        assert.equal(
          answer.headers.get('content-security-policy'),
          "default-src 'none'; frame-ancestors 'none'",
        );
        assert.match(answer.headers.get('x-request-id')!, /^[0-9a-f-]{36}$/);
      }
      assert.equal(answers[0]!.headers.get('access-control-allow-origin'), SHOP);
      assert.equal(answers[0]!.headers.get('content-type'), 'application/json');
      assert.equal(answers[1]!.headers.get('cache-control'), 'no-store');
      assert.equal(answers[2]!.status, 403);
    });
  });

  it('answers a preflight from an allowed origin with the methods, headers and a 2-hour max-age', async () => {
    await withProxy({allowedOrigins: [SHOP]}, async (proxy, api) => {
      const preflight = (origin: string) =>
        audit.fetch(`${proxy.url}/bwp/graphql`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type, x-bwp-shopper-token',
          },
        });
      const ok = await preflight(SHOP);
      assert.equal(ok.status, 204);
      assert.equal(ok.headers.get('access-control-allow-origin'), SHOP);
      assert.equal(ok.headers.get('access-control-allow-methods'), 'POST');
      assert.equal(ok.headers.get('access-control-allow-headers'), 'content-type, x-bwp-shopper-token');
      assert.equal(ok.headers.get('access-control-max-age'), '7200');
      assert.match(ok.headers.get('vary')!, /Origin/);
      const refused = await preflight('https://evil.example');
      assert.equal(refused.status, 403);
      assert.equal(refused.headers.get('access-control-allow-origin'), null);
      assert.equal(api.upstreamCalls, 0);
    });
  });

  it('sets the security headers and a request id on every response, refusals included', async () => {
    await withProxy({}, async (proxy) => {
      const responses = [
        await proxy.post(productOffers('a')),
        await proxy.post('{'),
        await audit.fetch(`${proxy.url}/bwp/graphql`),
        await audit.fetch(`${proxy.url}/bwp/health`),
        await audit.fetch(`${proxy.url}/bwp/elsewhere`),
      ];
      for (const response of responses) {
        assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
        assert.match(response.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
        assert.equal(response.headers.get('x-frame-options'), 'DENY');
        assert.match(response.headers.get('x-request-id')!, /^[0-9a-f-]{36}$/);
      }
      const traced = await proxy.post(productOffers('a'), {'x-request-id': 'edge-42'});
      assert.equal(traced.headers.get('x-request-id'), 'edge-42');
      assert.equal(audit.logs.at(-1)!.requestId, 'edge-42');
    });
  });

  it('marks answers that used a shopper identity private, no-store', async () => {
    await withProxy({}, async (proxy) => {
      const response = await proxy.post(productOffers('a'), {'x-bwp-shopper-token': SHOPPER_TOKEN});
      assert.equal(response.headers.get('cache-control'), 'private, no-store');
    });
  });

  it('lets an anonymous answer be cached privately, never past its earliest expiresAt', async () => {
    let expiresAt: string | null = null;
    const api = fakeApi({
      graphql: () => ({
        body: {data: {offers: {edges: [{node: {id: 'o', lineItems: [{deliveryOffer: {expiresAt}}]}}]}}},
      }),
    });
    // The proxy's clock stands still, so the seconds left until expiresAt are exact however slow the machine.
    const now = Date.parse('2026-11-20T15:00:00Z');
    await withProxy(
      {maxAgeSeconds: 30, now: () => now},
      async (proxy) => {
        assert.equal(
          (await proxy.post(productOffers('a'))).headers.get('cache-control'),
          'private, max-age=30',
        );
        // 10.5 s left: 9 s (whole seconds, less one of margin).
        expiresAt = new Date(now + 10_500).toISOString();
        assert.equal(
          (await proxy.post(productOffers('b'))).headers.get('cache-control'),
          'private, max-age=9',
        );
        expiresAt = new Date(now - 1000).toISOString();
        assert.equal(
          (await proxy.post(productOffers('c'))).headers.get('cache-control'),
          'private, no-store',
        );
        expiresAt = 'not a date';
        assert.equal(
          (await proxy.post(productOffers('d'))).headers.get('cache-control'),
          'private, no-store',
        );
      },
      api,
    );
  });

  it('never lets an error or a refusal be stored', async () => {
    const api = fakeApi({graphql: () => ({status: 500, body: {}})});
    await withProxy(
      {},
      async (proxy) => {
        assert.equal(
          (await proxy.post(productOffers('a'))).headers.get('cache-control'),
          'private, no-store',
        );
        assert.equal((await proxy.post('{')).headers.get('cache-control'), 'no-store');
      },
      api,
    );
  });

  it('limits each client IP, counting every upstream call, with 429 and Retry-After once nothing is left', async () => {
    let time = 0;
    const rateLimiter = createRateLimiter({limit: 10, windowMs: 60_000, now: () => time});
    await withProxy({rateLimiter}, async (proxy, api) => {
      const batch = (n: number) => Array.from({length: n}, (_, i) => productOffers(`s${i}`));
      assert.equal((await proxy.post(batch(10))).status, 200);
      const calls = api.graphqlCalls.length;
      const refused = await proxy.post(batch(3));
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('retry-after'), '6');
      assert.equal(((await refused.json()) as Envelope).errors![0]!.extensions.code, 'rate_limited');
      assert.equal(api.graphqlCalls.length, calls);
      time += 6000;
      assert.equal((await proxy.post(batch(3))).status, 200);
    });
  });

  it('ignores X-Forwarded-For unless proxies are trusted: the connection is the client', async () => {
    await withProxy({}, async (proxy, api) => {
      await proxy.post(productOffers('a'), {'x-forwarded-for': '6.6.6.6'});
      assert.deepEqual(api.graphqlCalls[0]!.variables.location, {ipAddress: '127.0.0.1'});
    });
  });

  it('reads X-Forwarded-For right to left for the trusted hops; a spoofed leftmost entry never wins', async () => {
    await withProxy({trustedProxies: 1}, async (proxy, api) => {
      await proxy.post(productOffers('a'), {'x-forwarded-for': '6.6.6.6, 203.0.113.7'});
      assert.deepEqual(api.graphqlCalls.at(-1)!.variables.location, {ipAddress: '203.0.113.7'});
      await proxy.post(productOffers('b'), {'x-forwarded-for': 'not-an-ip'});
      assert.deepEqual(api.graphqlCalls.at(-1)!.variables.location, {ipAddress: '127.0.0.1'});
    });
    await withProxy({trustedProxies: 2}, async (proxy, api) => {
      await proxy.post(productOffers('a'), {'x-forwarded-for': '6.6.6.6, 198.51.100.4, 10.0.0.2'});
      assert.deepEqual(api.graphqlCalls.at(-1)!.variables.location, {ipAddress: '198.51.100.4'});
      await proxy.post(productOffers('b'), {'x-forwarded-for': '::ffff:198.51.100.9, 10.0.0.2'});
      assert.deepEqual(api.graphqlCalls.at(-1)!.variables.location, {ipAddress: '198.51.100.9'});
    });
  });

  it('rate-limits by the trusted client IP, so rotating a spoofed X-Forwarded-For buys nothing', async () => {
    const rateLimiter = createRateLimiter({limit: 5});
    await withProxy({rateLimiter, trustedProxies: 1}, async (proxy) => {
      const statuses = [];
      for (let i = 0; i < 7; i++) {
        const response = await proxy.post(productOffers(`s${i}`), {
          'x-forwarded-for': `6.6.6.${i}, 203.0.113.7`,
        });
        statuses.push(response.status);
      }
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
      const other = await proxy.post(productOffers('x'), {'x-forwarded-for': '203.0.113.8'});
      assert.equal(other.status, 200);
    });
  });

  it('takes the client IP from the platform when told how (e.g. CF-Connecting-IP)', async () => {
    await withProxy(
      {getClientIp: (request) => request.headers.get('cf-connecting-ip')},
      async (proxy, api) => {
        await proxy.post(productOffers('a'), {'cf-connecting-ip': '2001:db8::1'});
        assert.deepEqual(api.graphqlCalls.at(-1)!.variables.location, {ipAddress: '2001:db8::1'});
      },
    );
  });

  it("uses the merchant's shopper identity hook over the header, and the header when the hook has none", async () => {
    const sessionToken = 'Atza|from-session-7d1';
    audit.addSecret(sessionToken);
    await withHandler(
      {
        shopperIdentity: (request) =>
          request.headers.get('cookie') === 'session=1' ? {lwaAccessToken: {value: sessionToken}} : undefined,
      },
      async (proxy, api) => {
        await proxy.post(productOffers('a'), {cookie: 'session=1', 'x-bwp-shopper-token': SHOPPER_TOKEN});
        assert.deepEqual(api.graphqlCalls.at(-1)!.variables.shopperIdentity, {
          lwaAccessToken: {value: sessionToken},
        });
        await proxy.post(productOffers('a'), {'x-bwp-shopper-token': SHOPPER_TOKEN});
        assert.deepEqual(api.graphqlCalls.at(-1)!.variables.shopperIdentity, {
          lwaAccessToken: {value: SHOPPER_TOKEN},
        });
        await proxy.post(productOffers('a'));
        assert.equal(api.graphqlCalls.at(-1)!.variables.shopperIdentity, undefined);
      },
    );
  });

  it('answers unavailable, with no upstream call, when the identity hook throws', async () => {
    await withHandler(
      {
        shopperIdentity: () => {
          throw new Error(`session store down; secret ${SHOPPER_TOKEN}`);
        },
      },
      async (proxy, api) => {
        const response = await proxy.post(productOffers('a'));
        assert.equal(response.status, 503);
        assert.equal(((await response.json()) as Envelope).errors![0]!.extensions.code, 'unavailable');
        assert.equal(api.upstreamCalls, 0);
      },
    );
  });

  it('answers health without calling the GraphQL API', async () => {
    await withHandler({}, async (proxy, api) => {
      const response = await proxy.fetch(`${proxy.url}/bwp/health`);
      assert.deepEqual(
        {...((await response.json()) as object), documents: undefined},
        {
          status: 'ok',
          upstream: 'closed',
          token: 'ok',
          lastUpstream: null,
          documents: undefined,
          allowedOrigins: [],
        },
      );
      assert.equal(api.graphqlCalls.length, 0);
    });
  });

  it('logs one JSON line per request with id, status, timings, attempts and codes', async () => {
    const api = fakeApi({
      graphql: (call) =>
        call.inputs.lineItems[0].product.identifier.sku === 'gone'
          ? {body: {data: null, errors: [{extensions: {classification: {type: 'ResourceNotFoundError'}}}]}}
          : undefined!,
    });
    await withHandler(
      {},
      async (proxy) => {
        const before = audit.logs.length;
        await proxy.post([productOffers('a'), productOffers('gone')], {'x-bwp-shopper-token': SHOPPER_TOKEN});
        assert.equal(audit.logs.length, before + 1);
        const entry = audit.logs.at(-1)!;
        assert.equal(entry.status, 200);
        assert.equal(entry.method, 'POST');
        assert.equal(entry.path, '/bwp/graphql');
        assert.equal(entry.operations, 2);
        assert.deepEqual(entry.documents, ['ProductOffers.v1', 'ProductOffers.v1']);
        assert.deepEqual(entry.codes, ['not_found']);
        assert.equal(entry.identity, true);
        assert.deepEqual(
          {calls: entry.upstream!.calls, attempts: entry.upstream!.attempts},
          {calls: 2, attempts: 2},
        );
        assert.equal(typeof entry.ms, 'number');
        assert.ok(JSON.parse(JSON.stringify(entry)));
      },
      api,
    );
  });
});

describe('the logged path', () => {
  it('is what URL gives as the pathname, percent-encoded and without query or fragment', () => {
    for (const url of [
      'http://127.0.0.1:8787/bwp/graphql',
      'http://shop.example/bwp/graphql?x=1#y',
      'http://shop.example',
      'http://shop.example?q=/bwp/graphql',
      'http://shop.example#/bwp/graphql',
      'http://[::1]:8787/bwp/gr%20aph?x',
      'https://user:pass@shop.example/a//b?c/d',
    ]) {
      const href = new URL(url).href;
      assert.equal(pathOf(href), new URL(url).pathname, url);
    }
  });
});
