// Issue 13 items 6, 11 and 12 on the handler: the limiter charged per upstream call (retries included), a
// configurable budget, an instance-wide cap on calls in flight, upstream work abandoned when nobody waits, a
// bound on lines per body, a lower budget for shopper tokens, and logs that can find an abuser.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {proxyOptionsFromEnv} from '../../server/proxy/config.ts';
import {createRateLimiter} from '../../server/proxy/rate-limit.ts';
import {
  ADDRESS,
  callProxy,
  createAudit,
  fakeApi,
  productOffers,
  serveProxy,
  SHOPPER_TOKEN,
  withProxy,
  type Envelope,
} from './proxy-fixtures.ts';

const codes = (body: Envelope | Envelope[]) =>
  (Array.isArray(body) ? body : [body]).map((each) => each.errors?.[0]?.extensions.code ?? 'ok');

const grid = (page: number, cards: number) =>
  Array.from({length: cards}, (_, card) => productOffers(`sku-${page}-${card}`));

/** Resolves once `count` calls are in the fake API at once; the calls wait for `release()`. */
function gate(count: number) {
  let inFlight = 0;
  let peak = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    async graphql() {
      inFlight++;
      peak = Math.max(peak, inFlight);
      // A macrotask later, so every call the proxy would start at once has arrived.
      if (inFlight >= count) setImmediate(open);
      await opened;
      inFlight--;
      return {body: {data: {offers: {edges: [], totalCount: 0}}}};
    },
    get peak() {
      return peak;
    },
  };
}

describe('the upstream budget of one client and of one instance', () => {
  const audit = createAudit();

  it('charges the limiter one per upstream attempt, retries included, so failing calls cannot exceed the budget', async () => {
    const api = fakeApi({graphql: () => ({status: 500, body: {errors: [{message: 'boom'}]}})});
    const rateLimiter = createRateLimiter({limit: 10});
    await withProxy(audit, api, {rateLimiter, breaker: false, maxAttempts: 3}, async (proxy) => {
      await proxy.post(grid(0, 4));
      await proxy.post(grid(1, 4));
      assert.equal(api.graphqlCalls.length, 10, 'upstream calls made for a budget of 10');
    });
  });

  it('takes the budget from BWP_RATE_LIMIT: calls per client per minute, then 429 with Retry-After', async () => {
    const api = fakeApi();
    const options = proxyOptionsFromEnv({BWP_RATE_LIMIT: '5'}, () => ({
      apiUrl: 'http://api.test/graphql',
      tokenUrl: 'http://api.test/token',
      clientId: 'c',
      clientSecret: 's',
      targetId: 't',
      fetch: api.fetch,
    }));
    await withProxy(audit, api, options, async (proxy) => {
      const answers = [];
      for (let i = 0; i < 8; i++) answers.push(await proxy.post(productOffers(`sku-${i}`)));
      assert.deepEqual(
        answers.map((answer) => answer.status),
        [200, 200, 200, 200, 200, 429, 429, 429],
      );
      assert.ok(Number(answers[5]!.headers.get('retry-after')) >= 1);
      assert.equal(api.graphqlCalls.length, 5);
    });
  });

  it('refuses a BWP_RATE_LIMIT that is not a whole number of calls at startup', () => {
    assert.throws(() => proxyOptionsFromEnv({BWP_RATE_LIMIT: 'lots'}, () => ({}) as never), /BWP_RATE_LIMIT/);
  });

  it('lets a shopper page through ten 96-card grids in a minute on the default budget', async () => {
    const api = fakeApi();
    await withProxy(audit, api, {}, async (proxy) => {
      const seen: string[] = [];
      for (let page = 0; page < 10; page++) {
        const cards = grid(page, 96);
        for (const batch of [cards.slice(0, 50), cards.slice(50)]) {
          const answer = await proxy.post(batch);
          seen.push(...(answer.status === 200 ? codes((await answer.json()) as Envelope[]) : ['refused']));
        }
      }
      assert.deepEqual(new Set(seen), new Set(['ok']));
      assert.equal(api.graphqlCalls.length, 960);
    });
  });

  it('keeps at most maxConcurrentUpstream calls in flight per instance; the rest wait their turn', async () => {
    const upstream = gate(2);
    const api = fakeApi({graphql: () => upstream.graphql()});
    await withProxy(audit, api, {maxConcurrentUpstream: 2, upstreamQueueMs: 60_000}, async (proxy) => {
      const answer = await proxy.post(grid(0, 6));
      assert.deepEqual(codes((await answer.json()) as Envelope[]), ['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
      assert.equal(upstream.peak, 2);
    });
  });

  it('answers unavailable with Retry-After for calls that find no free slot within the queue wait', async () => {
    const upstream = gate(2);
    const api = fakeApi({graphql: () => upstream.graphql()});
    await withProxy(audit, api, {maxConcurrentUpstream: 2, upstreamQueueMs: 0}, async (proxy) => {
      const answer = await proxy.post(grid(0, 5));
      const body = (await answer.json()) as Envelope[];
      assert.deepEqual(codes(body).sort(), ['ok', 'ok', 'unavailable', 'unavailable', 'unavailable']);
      assert.equal(body.find((each) => each.errors)!.errors![0]!.extensions.reason, 'overloaded');
      assert.ok(Number(answer.headers.get('retry-after')) >= 1);
      assert.equal(api.graphqlCalls.length, 2);
    });
  });

  // Called directly, the proxy watches the request's signal; served on Node, the response's close.
  for (const [mount, start] of [
    ['', callProxy],
    [' (served on Node: the client closes its connection)', serveProxy],
  ] as const)
    it(
      `aborts an upstream call once no request waits for it, and not while a coalesced one still does${mount}`,
      {timeout: 10_000},
      async () => {
        const aborted: boolean[] = [];
        let upstreamAborted!: () => void;
        const stopped = new Promise<void>((resolve) => (upstreamAborted = resolve));
        const api = fakeApi({
          graphql: (_call, _index, signal) =>
            new Promise((resolve) => {
              signal?.addEventListener('abort', () => {
                aborted.push(true);
                upstreamAborted();
                resolve('network-error');
              });
            }),
        });
        // Each request's signal as the proxy gets it: aborted once the proxy knows its client went away.
        const signals: AbortSignal[] = [];
        let bothIn!: () => void;
        const arrived = new Promise<void>((resolve) => (bothIn = resolve));
        const shopperIdentity = (request: Request) => {
          if (signals.push(request.signal) === 2) bothIn();
          return undefined;
        };
        const gone = (signal: AbortSignal) =>
          new Promise<void>((resolve) =>
            signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), {once: true}),
          );
        const turn = () => new Promise((resolve) => setImmediate(resolve));
        await withProxy(
          audit,
          api,
          {timeoutMs: 600_000, breaker: false, shopperIdentity},
          async (proxy) => {
            const first = new AbortController();
            const second = new AbortController();
            const send = (controller: AbortController) =>
              proxy
                .fetch(`${proxy.url}/bwp/graphql`, {
                  method: 'POST',
                  headers: {'content-type': 'application/json'},
                  body: JSON.stringify(productOffers('same')),
                  signal: controller.signal,
                })
                .catch(() => undefined);
            const answers = [send(first), send(second)];
            // From the hook to the upstream call the proxy only chains promises: a turn gets both there.
            await arrived;
            await turn();
            first.abort();
            await gone(signals[0]!);
            await turn();
            // The second still waits: the shared call goes on.
            assert.deepEqual(aborted, []);
            second.abort();
            await Promise.all(answers);
            await stopped;
            assert.deepEqual(aborted, [true]);
            assert.equal(api.graphqlCalls.length, 1);
          },
          start,
        );
      },
    );

  it('refuses a body of more than 100 lines in all with batch_too_large, before any upstream call', async () => {
    const api = fakeApi();
    await withProxy(audit, api, {}, async (proxy) => {
      const lines = Array.from({length: 40}, (_, i) => ({product: {identifier: {sku: `s${i}`}}}));
      const checkout = {
        documentId: 'CheckoutOffers.v1',
        variables: {lineItems: lines, shippingAddress: ADDRESS},
      };
      const answer = await proxy.post([checkout, checkout, checkout]);
      assert.equal(answer.status, 400);
      assert.equal(((await answer.json()) as Envelope).errors![0]!.extensions.reason, 'batch_too_large');
      assert.equal(api.upstreamCalls, 0);
    });
  });

  it('gives requests carrying a shopper token their own, lower budget, leaving anonymous calls theirs', async () => {
    const api = fakeApi();
    await withProxy(audit, api, {shopperRateLimit: 3}, async (proxy) => {
      const signedIn = [];
      for (let i = 0; i < 5; i++)
        signedIn.push(
          (await proxy.post(productOffers(`t-${i}`), {'x-bwp-shopper-token': SHOPPER_TOKEN})).status,
        );
      assert.deepEqual(signedIn, [200, 200, 200, 429, 429]);
      assert.equal((await proxy.post(productOffers('anonymous'))).status, 200);
    });
  });

  it('lets the identity of the merchant server session through on the client budget alone', async () => {
    const api = fakeApi();
    const shopperIdentity = () => ({lwaAccessToken: {value: SHOPPER_TOKEN}});
    await withProxy(audit, api, {shopperRateLimit: 1, shopperIdentity}, async (proxy) => {
      for (let i = 0; i < 3; i++) assert.equal((await proxy.post(productOffers(`h-${i}`))).status, 200);
    });
  });
});

describe('logs and identifiers that find an abuser', () => {
  const audit = createAudit();

  it('logs a truncated, hashed client key and the limiter decision of each request', async () => {
    const api = fakeApi();
    const rateLimiter = createRateLimiter({limit: 2});
    await withProxy(audit, api, {rateLimiter}, async (proxy) => {
      await proxy.post([productOffers('a'), productOffers('b'), productOffers('c')]);
      const entry = audit.logs.at(-1)!;
      assert.match(String(entry.client), /^127\.0\.0\.0\/24 [0-9a-f]{8}$/);
      assert.deepEqual(entry.limiter, {charged: 2, refused: 1});
      assert.ok(!JSON.stringify(entry).includes('127.0.0.1'), 'the full address is not logged');
    });
  });

  for (const [name, character] of [
    ['a right-to-left override', '\u202e'],
    ['a zero-width space', '\u200b'],
    ['a bidi isolate', '\u2066'],
    ['a byte-order mark', '\ufeff'],
    ['a C1 control', '\u0085'],
  ] as const)
    it(`refuses a SKU or product id carrying ${name} as invalid_variables, before the upstream`, async () => {
      const api = fakeApi();
      await withProxy(audit, api, {}, async (proxy) => {
        const bySku = productOffers(`sku${character}1`);
        const byId = {
          documentId: 'ProductOffers.v1',
          variables: {lineItems: [{product: {productId: `id${character}1`}}]},
        };
        const body = (await (await proxy.post([bySku, byId])).json()) as Envelope[];
        assert.deepEqual(
          body.map((each) => each.errors![0]!.extensions.reason),
          ['invalid_variables', 'invalid_variables'],
        );
        assert.equal(api.upstreamCalls, 0);
      });
    });
});
