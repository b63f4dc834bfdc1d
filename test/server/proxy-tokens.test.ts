import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createTokenSource, memoryTokenStore, TokenError} from '../../server/proxy/token.ts';
import {
  callProxy,
  CLIENT_ID,
  CLIENT_SECRET,
  createAudit,
  fakeApi,
  manualTimers,
  productOffers,
  serveProxy,
} from './proxy-fixtures.ts';

const clock = (start = 1_000_000) => {
  let time = start;
  return {now: () => time, advance: (ms: number) => (time += ms)};
};

const source = (
  api: ReturnType<typeof fakeApi>,
  extra: Partial<Parameters<typeof createTokenSource>[0]> = {},
) =>
  createTokenSource({
    tokenUrl: 'http://api.test/token',
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    fetch: api.fetch,
    ...extra,
  });

describe('proxy access tokens', () => {
  const audit = createAudit();

  it('makes exactly one token call for 1,000 concurrent cold requests over HTTP', async () => {
    // The token endpoint answers late, so every request arrives while the first refresh is in flight.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const api = audit.watch(
      fakeApi({
        token: async (index) => {
          await gate;
          return {
            body: {
              access_token: `at-cold-${index}-${crypto.randomUUID()}`,
              token_type: 'bearer',
              expires_in: 900,
            },
          };
        },
      }),
    );
    let arrived = 0;
    let allArrived!: () => void;
    const everyoneIn = new Promise<void>((resolve) => (allArrived = resolve));
    const proxy = await serveProxy(api, audit, {
      rateLimiter: false,
      // The upstream deadline runs on a clock that never moves: this test is about token calls, and on a busy
      // machine the 1,000 sockets may take longer to arrive than a real 3 s deadline allows.
      timers: manualTimers(),
      // All 1,000 go upstream together once the token comes: this test is about the token, not the cap.
      maxConcurrentUpstream: 1000,
      // Called once per request just before it asks for a token: counts who is waiting.
      shopperIdentity: () => {
        if (++arrived === 1000) allArrived();
        return undefined;
      },
    });
    try {
      const responses = Array.from({length: 1000}, (_, i) => proxy.post(productOffers(`sku-${i}`)));
      // A request that fails before reaching the proxy (e.g. its connection refused) would leave everyoneIn
      // pending for ever: the test fails with that error instead.
      const firstFailure = new Promise<never>((_, reject) => responses.forEach((r) => r.catch(reject)));
      firstFailure.catch(() => undefined);
      // The token endpoint answers only once all 1,000 requests are inside the proxy, waiting.
      await Promise.race([everyoneIn, firstFailure]);
      assert.equal(api.tokenCalls, 1);
      release();
      const statuses = await Promise.all(responses.map((response) => response.then((r) => r.status)));
      assert.ok(statuses.every((status) => status === 200));
      assert.equal(api.tokenCalls, 1);
      assert.equal(api.graphqlCalls.length, 1000);
      assert.ok(
        api.graphqlCalls.every(
          (call) => call.headers.get('authorization') === `Bearer ${api.tokensIssued[0]}`,
        ),
      );
    } finally {
      await proxy.close();
    }
  });

  it('sends the client credentials as HTTP Basic and a client_credentials form', async () => {
    const seen: Request[] = [];
    const api = fakeApi();
    const tokens = source({
      ...api,
      fetch: async (input, init) => {
        seen.push(new Request(input, init));
        return api.fetch(input, init);
      },
    } as ReturnType<typeof fakeApi>);
    await tokens.get();
    const [request] = seen;
    assert.equal(request!.headers.get('authorization'), `Basic ${btoa(`${CLIENT_ID}:${CLIENT_SECRET}`)}`);
    assert.equal(await request!.text(), 'grant_type=client_credentials');
  });

  it('reuses a token until it nears expiry, then refreshes it in the background once', async () => {
    const api = fakeApi();
    const time = clock();
    const tokens = source(api, {now: time.now, refreshAheadMs: 180_000});
    const first = await tokens.get();
    time.advance(700_000); // 200 s left: still fresh enough to use without waiting
    assert.equal(await tokens.get(), first);
    assert.equal(api.tokenCalls, 1);
    time.advance(30_000); // 170 s left: inside the refresh-ahead window
    const during = await Promise.all(Array.from({length: 50}, () => tokens.get()));
    assert.ok(
      during.every((token) => token === first),
      'callers did not wait for the refresh',
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(api.tokenCalls, 2);
    assert.notEqual(await tokens.get(), first);
  });

  it('waits for a new token when the cached one is about to expire', async () => {
    const api = fakeApi();
    const time = clock();
    const tokens = source(api, {now: time.now});
    const first = await tokens.get();
    time.advance(890_000);
    assert.notEqual(await tokens.get(), first);
    assert.equal(api.tokenCalls, 2);
  });

  it('backs off when the token endpoint fails: at most one call per backoff window', async () => {
    const api = fakeApi({token: () => ({status: 503, body: {error: 'down', echo: CLIENT_SECRET}})});
    const time = clock();
    const tokens = source(api, {now: time.now, backoffMs: 1000, maxBackoffMs: 30_000});
    const callTimes: number[] = [];
    let last = 0;
    // A 2-minute outage, 20 concurrent requests every 100 ms.
    for (let t = 0; t < 120_000; t += 100) {
      const results = await Promise.allSettled(Array.from({length: 20}, () => tokens.get()));
      assert.ok(results.every((r) => r.status === 'rejected' && r.reason instanceof TokenError));
      assert.ok(
        results.every((r) => r.status === 'rejected' && !String(r.reason.message).includes(CLIENT_SECRET)),
      );
      if (api.tokenCalls > last) callTimes.push(t);
      last = api.tokenCalls;
      time.advance(100);
    }
    // 24,000 callers became 8 calls, spaced 1, 2, 4, 8, 16 s and then every 30 s.
    assert.deepEqual(callTimes, [0, 1000, 3000, 7000, 15000, 31000, 61000, 91000]);
    assert.equal(api.tokenCalls, 8);
  });

  it('recovers after an outage at the end of the backoff window', async () => {
    let down = true;
    const api = fakeApi({
      token: (i) => (down ? {status: 500, body: {}} : {body: {access_token: `at-ok-${i}`, expires_in: 900}}),
    });
    const time = clock();
    const tokens = source(api, {now: time.now, backoffMs: 1000});
    await assert.rejects(tokens.get(), TokenError);
    down = false;
    await assert.rejects(tokens.get(), /backing off/);
    time.advance(1000);
    assert.match(await tokens.get(), /^at-ok-/);
  });

  it('lets two proxies sharing a token store make one token call, even when both start cold together', async () => {
    const api = audit.watch(fakeApi());
    const store = memoryTokenStore();
    const a = await callProxy(api, audit, {tokenStore: store});
    const b = await callProxy(api, audit, {tokenStore: store});
    try {
      await Promise.all([a.post(productOffers('a')), b.post(productOffers('b')), a.post(productOffers('c'))]);
      await b.post(productOffers('d'));
      assert.equal(api.tokenCalls, 1);
      assert.equal(api.graphqlCalls.length, 4);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('fetches a new token once when the upstream answers 401, and retries the call with it', async () => {
    const api = audit.watch(
      fakeApi({
        graphql: (call) =>
          call.headers.get('authorization')!.includes('at-0-') ? {status: 401, body: {}} : undefined!,
      }),
    );
    const proxy = await callProxy(api, audit);
    try {
      const response = await proxy.post(productOffers('a'));
      assert.deepEqual(await response.json(), {data: {offers: {edges: [], totalCount: 0}}});
      assert.equal(api.tokenCalls, 2);
      assert.equal(api.graphqlCalls.length, 2);
    } finally {
      await proxy.close();
    }
  });

  it('gives up with unavailable when the new token is refused too (no loop)', async () => {
    const api = audit.watch(fakeApi({graphql: () => ({status: 401, body: {message: 'denied'}})}));
    const proxy = await callProxy(api, audit);
    try {
      const body = (await (await proxy.post(productOffers('a'))).json()) as {
        errors: Array<{extensions: {code: string}}>;
      };
      assert.equal(body.errors[0]!.extensions.code, 'unavailable');
      assert.equal(api.tokenCalls, 2);
      assert.equal(api.graphqlCalls.length, 2);
    } finally {
      await proxy.close();
    }
  });

  it('answers unavailable without calling the API when no token can be had', async () => {
    const api = audit.watch(fakeApi({token: () => 'network-error'}));
    const proxy = await callProxy(api, audit, {targetId: 't'});
    try {
      const response = await proxy.post(productOffers('a'));
      const body = (await response.json()) as {errors: Array<{extensions: {code: string; reason: string}}>};
      assert.deepEqual(body.errors[0]!.extensions, {code: 'unavailable', reason: 'token_unavailable'});
      assert.equal(api.graphqlCalls.length, 0);
    } finally {
      await proxy.close();
    }
  });
});
