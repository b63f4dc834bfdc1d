// The upstream edge under pressure: throttling is never retried, and only the upstream's own failures open the breaker.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createCircuitBreaker} from '../../server/proxy/upstream.ts';
import {apiError, createAudit, fakeApi, productOffers, serveProxy, type Envelope} from './proxy-fixtures.ts';

const OK = {body: {data: {offers: {edges: [], totalCount: 0}}}};

const throttled429 = (retryAfter?: string) =>
  new Response(JSON.stringify({errors: [{message: 'Rate exceeded for sku-secret'}]}), {
    status: 429,
    headers: {'content-type': 'application/json', ...(retryAfter ? {'retry-after': retryAfter} : {})},
  });

describe('upstream throttling', () => {
  const audit = createAudit();
  const codes = async (response: Response) =>
    ((await response.json()) as Envelope[] | Envelope as Envelope[]).map(
      (r) => r.errors?.[0]?.extensions.code,
    );

  it('never retries an HTTP 429: one attempt per call, and the browser is told rate_limited', async () => {
    const api = audit.watch(fakeApi({graphql: () => throttled429('30')}));
    const proxy = await serveProxy(api, audit, {breaker: false});
    try {
      const response = await proxy.post(productOffers('a'));
      const body = (await response.json()) as Envelope;
      assert.equal(body.errors![0]!.extensions.code, 'rate_limited');
      assert.equal(api.graphqlCalls.length, 1);
    } finally {
      await proxy.close();
    }
  });

  it('never retries a ThrottlingError in a 200 answer either', async () => {
    const api = audit.watch(fakeApi({graphql: () => apiError('ThrottlingError', 'ThrottlingException')}));
    const proxy = await serveProxy(api, audit, {breaker: false});
    try {
      const body = (await (await proxy.post(productOffers('a'))).json()) as Envelope;
      assert.equal(body.errors![0]!.extensions.code, 'rate_limited');
      assert.equal(api.graphqlCalls.length, 1);
    } finally {
      await proxy.close();
    }
  });

  it("honours the API's Retry-After for the whole instance: no call until it passes, then calls again", async () => {
    let time = 1_000_000;
    let throttling = true;
    const api = audit.watch(fakeApi({graphql: () => (throttling ? throttled429('30') : OK)}));
    const proxy = await serveProxy(api, audit, {now: () => time});
    try {
      await proxy.post(productOffers('a'));
      assert.equal(api.graphqlCalls.length, 1);
      const batch = [productOffers('b'), productOffers('c'), productOffers('d')];
      assert.deepEqual(await codes(await proxy.post(batch)), [
        'rate_limited',
        'rate_limited',
        'rate_limited',
      ]);
      assert.equal(
        api.graphqlCalls.length,
        1,
        'other shoppers and products wait too: the quota is the instance’s',
      );
      throttling = false;
      time += 29_000;
      await proxy.post(productOffers('e'));
      assert.equal(api.graphqlCalls.length, 1);
      time += 1_000;
      assert.deepEqual(await (await proxy.post(productOffers('f'))).json(), OK.body);
      assert.equal(api.graphqlCalls.length, 2);
    } finally {
      await proxy.close();
    }
  });

  it('keeps the circuit closed while the API throttles: throttling is not an outage', async () => {
    let time = 0;
    const breaker = createCircuitBreaker({now: () => time});
    const api = audit.watch(fakeApi({graphql: () => throttled429()}));
    const proxy = await serveProxy(api, audit, {breaker, now: () => time});
    try {
      for (let i = 0; i < 30; i++) {
        time += 2_000;
        await proxy.post(productOffers(`s${i}`));
      }
      assert.equal(breaker.state, 'closed');
    } finally {
      await proxy.close();
    }
  });
});

describe('circuit breaker', () => {
  const audit = createAudit();

  it('stays closed when a WAF answers 403 to every operation of a batch: a 4xx is not an outage', async () => {
    let blocked = true;
    const api = audit.watch(
      fakeApi({
        graphql: () => (blocked ? new Response('<html>Forbidden</html>', {status: 403}) : OK),
      }),
    );
    const proxy = await serveProxy(api, audit);
    try {
      const batch = [1, 2, 3, 4, 5].map((i) => productOffers(`waf-${i}`));
      await proxy.post(batch);
      blocked = false;
      const next = await proxy.post(productOffers('shopper'));
      assert.deepEqual(await next.json(), OK.body);
    } finally {
      await proxy.close();
    }
  });

  it('does not open on five failures among many successes, and opens when half of the calls in the window fail', () => {
    const breaker = createCircuitBreaker({now: () => 0});
    for (let i = 0; i < 30; i++) {
      assert.ok(breaker.allow());
      breaker.success();
    }
    for (let i = 0; i < 5; i++) {
      assert.ok(breaker.allow());
      breaker.failure();
    }
    assert.equal(breaker.state, 'closed');
    for (let i = 0; i < 30; i++) if (breaker.allow()) breaker.failure();
    assert.equal(breaker.state, 'open');
  });

  it('needs a minimum volume: a few failures on a quiet shop do not open it', () => {
    let time = 0;
    const breaker = createCircuitBreaker({now: () => time});
    for (let i = 0; i < 19; i++) {
      time += 100;
      breaker.allow();
      breaker.failure();
    }
    assert.equal(breaker.state, 'closed');
    breaker.allow();
    breaker.failure();
    assert.equal(breaker.state, 'open');
  });

  it('forgets failures older than its window', () => {
    let time = 0;
    const breaker = createCircuitBreaker({now: () => time});
    for (let i = 0; i < 19; i++) {
      breaker.allow();
      breaker.failure();
    }
    time += 11_000;
    for (let i = 0; i < 19; i++) {
      breaker.allow();
      breaker.failure();
    }
    assert.equal(breaker.state, 'closed');
  });
});
