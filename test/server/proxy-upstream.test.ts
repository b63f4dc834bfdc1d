import assert from 'node:assert/strict';
import {PRODUCT_OFFERS, renderDocument} from '../../server/operations/documents.ts';
import {describe, it} from 'node:test';
import {createCircuitBreaker} from '../../server/proxy/upstream.ts';
import {
  apiError,
  createAudit,
  fakeApi,
  productOffers,
  manualTimers,
  serveProxy,
  SHOPPER_TOKEN,
  withProxy,
  type Envelope,
} from './proxy-fixtures.ts';

const OK = {body: {data: {offers: {edges: [], totalCount: 0}}}};

/**
 * A shopperIdentity hook that counts the requests reaching it; `done` resolves once `count` have, and each has
 * gone on to the upstream call (or joined one in flight): from the hook to there the proxy only chains promises,
 * so a turn of the event loop (setImmediate, not a timer) lets every one of them get there.
 */
function arrivals(count: number) {
  let seen = 0;
  let allIn!: () => void;
  const done = new Promise<void>((resolve) => (allIn = resolve)).then(
    () => new Promise<void>((resolve) => setImmediate(resolve)),
  );
  return {
    done,
    hook: () => {
      if (++seen === count) allIn();
      return undefined;
    },
  };
}

describe('proxy upstream calls', () => {
  const audit = createAudit();

  const extensions = async (response: Response) =>
    ((await response.json()) as Envelope).errors?.[0]?.extensions;

  it('tries at most 3 times when every call answers 5xx, then answers unavailable', async () => {
    const api = fakeApi({graphql: () => ({status: 503, body: {message: 'upstream body with sku-secret'}})});
    await withProxy(audit, api, {breaker: false}, async (proxy) => {
      for (let i = 0; i < 10; i++) {
        const ext = await extensions(await proxy.post(productOffers(`a${i}`)));
        assert.deepEqual(ext, {code: 'unavailable', reason: 'upstream_failed'});
      }
      assert.equal(api.graphqlCalls.length, 30);
    });
  });

  it('retries network errors and succeeds when the upstream comes back', async () => {
    const api = fakeApi({graphql: (_, index) => (index < 2 ? 'network-error' : OK)});
    await withProxy(audit, api, {}, async (proxy) => {
      const response = await proxy.post(productOffers('a'));
      assert.deepEqual(await response.json(), OK.body);
      assert.equal(api.graphqlCalls.length, 3);
      assert.equal(audit.logs.at(-1)!.upstream!.attempts, 3);
    });
  });

  for (const [type, errorType, code, reason] of [
    ['ValidationError', 'InvalidAddress', 'invalid_address', undefined],
    ['ValidationError', 'InvalidDestination', 'unsupported_destination', 'invalid_destination'],
    ['ValidationError', 'ExpiredIdpToken', 'shopper_token_expired', undefined],
    ['ValidationError', 'InvalidIdpToken', 'shopper_token_expired', undefined],
    ['ValidationError', 'ItemAmountUnavailable', 'not_eligible', 'quantity_unavailable'],
    ['ValidationError', 'ProductAmountUnavailable', 'not_eligible', 'quantity_unavailable'],
    ['ValidationError', 'ProductOutOfStock', 'not_eligible', 'out_of_stock'],
    ['ValidationError', 'ProductNotPrimeEnabled', 'not_eligible', 'not_prime'],
    ['ValidationError', 'SomethingNew', 'invalid_request', undefined],
    ['ResourceNotFoundError', 'ResourceNotFoundException', 'not_found', 'unknown_product'],
    ['AccessDeniedError', 'AccessDeniedException', 'unavailable', undefined],
    ['InternalServerError', 'InternalServerException', 'unavailable', undefined],
  ] as const) {
    it(`maps ${type}/${errorType} to ${code} (reason ${reason ?? 'none'}) after one attempt, without the upstream message`, async () => {
      const api = fakeApi({graphql: () => apiError(type, errorType)});
      await withProxy(audit, api, {}, async (proxy) => {
        const response = await proxy.post(productOffers('a'));
        const text = await response.text();
        assert.equal(JSON.parse(text).errors[0].extensions.code, code);
        assert.equal(JSON.parse(text).errors[0].extensions.reason, reason);
        assert.doesNotMatch(text, /upstream says|sku-secret|classification/);
        assert.equal(api.graphqlCalls.length, 1);
      });
    });
  }

  it('points an upstream error at its line item when the error names exactly one', async () => {
    const api = fakeApi({
      graphql: () => ({
        body: {
          data: null,
          errors: [
            {
              message: 'quantity of sku-b unavailable',
              path: ['offers'],
              extensions: {
                classification: {type: 'ValidationError', errorType: 'ItemAmountUnavailable'},
                details: {sku: 'sku-b'},
              },
            },
          ],
        },
      }),
    });
    await withProxy(audit, api, {}, async (proxy) => {
      const lines = ['sku-a', 'sku-b', 'sku-c'].map((sku) => ({product: {identifier: {sku}}}));
      const ext = await extensions(
        await proxy.post({documentId: 'ProductOffers.v1', variables: {lineItems: lines}}),
      );
      assert.deepEqual(ext, {code: 'not_eligible', reason: 'quantity_unavailable', lineIndex: 1});
    });
  });

  it('keeps every call inside the deadline: a hung upstream is answered unavailable once timeoutMs has passed', async () => {
    let signal: AbortSignal | undefined;
    let arrived!: () => void;
    const upstreamCalled = new Promise<void>((resolve) => (arrived = resolve));
    const api = fakeApi({
      graphql: (_, __, given) => {
        signal = given;
        arrived();
        return 'hang';
      },
    });
    const timers = manualTimers();
    await withProxy(audit, api, {timeoutMs: 300, timers}, async (proxy) => {
      const answer = proxy.post(productOffers('a'));
      await upstreamCalled;
      timers.advance(299);
      assert.equal(signal!.aborted, false, 'still waiting 1 ms before the deadline');
      timers.advance(1);
      assert.equal(signal!.aborted, true, 'the upstream call is cancelled at the deadline');
      assert.deepEqual(await extensions(await answer), {code: 'unavailable', reason: 'upstream_timeout'});
      assert.equal(api.graphqlCalls.length, 1);
    });
  });

  it('counts a call that passed its deadline against the circuit: 5 hung calls open it', async () => {
    let arrived!: () => void;
    const api = fakeApi({
      graphql: () => {
        arrived();
        return 'hang';
      },
    });
    const timers = manualTimers();
    // The deadline and a client leaving abort the call the same way: only a deadline is the upstream's fault.
    const breaker = createCircuitBreaker({minimumCalls: 5, openMs: 10_000, now: () => 0});
    await withProxy(audit, api, {timeoutMs: 300, timers, breaker, random: () => 0.999}, async (proxy) => {
      for (let i = 0; i < 5; i++) {
        const upstreamCalled = new Promise<void>((resolve) => (arrived = resolve));
        const answer = proxy.post(productOffers(`hung${i}`));
        await upstreamCalled;
        timers.advance(300);
        assert.deepEqual(await extensions(await answer), {code: 'unavailable', reason: 'upstream_timeout'});
      }
      assert.equal(api.graphqlCalls.length, 5, 'no retry: its backoff would end past the deadline');
      assert.equal(breaker.state, 'open');
      assert.equal((await extensions(await proxy.post(productOffers('fast'))))!.reason, 'circuit_open');
      assert.equal(api.graphqlCalls.length, 5);
    });
  });

  it('runs the deadline on real timers by default: a hung upstream over HTTP is answered upstream_timeout', async () => {
    const api = fakeApi({graphql: () => 'hang'});
    await withProxy(
      audit,
      api,
      {timeoutMs: 300},
      async (proxy) => {
        const ext = await extensions(await proxy.post(productOffers('a')));
        assert.deepEqual(ext, {code: 'unavailable', reason: 'upstream_timeout'});
        assert.equal(api.graphqlCalls.length, 1);
      },
      serveProxy,
    );
  });

  it('does not start a retry whose backoff would end past the deadline', async () => {
    const api = fakeApi({graphql: () => ({status: 500, body: {}})});
    const timers = manualTimers();
    // random() = 1: the longest backoff (200 ms, then 400 ms) against a 350 ms deadline.
    const options = {timeoutMs: 350, random: () => 0.999, breaker: false as const, timers};
    await withProxy(audit, api, options, async (proxy) => {
      const answer = proxy.post(productOffers('a'));
      // The deadline and the first backoff are pending once the first attempt has failed.
      await timers.scheduled(2);
      assert.deepEqual(timers.pending, [199.8, 350]);
      timers.advance(199.8);
      // The second attempt fails too; a 399.6 ms backoff would end past the deadline, so the call ends now.
      const ext = await extensions(await answer);
      assert.deepEqual(ext, {code: 'unavailable', reason: 'upstream_failed'});
      assert.equal(api.graphqlCalls.length, 2);
      assert.equal(timers.now(), 199.8, 'answered without waiting for the deadline');
      assert.deepEqual(timers.pending, [], 'a call that ends early leaves no deadline timer behind');
    });
  });

  it('coalesces identical calls in flight: 20 shoppers on the same IP asking for one SKU make one call', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const api = fakeApi({graphql: async () => (await gate, OK)});
    const everyoneIn = arrivals(20);
    await withProxy(audit, api, {shopperIdentity: everyoneIn.hook}, async (proxy) => {
      const pending = Array.from({length: 20}, () => proxy.post(productOffers('same')));
      await everyoneIn.done;
      release();
      const bodies = await Promise.all(pending.map(async (response) => (await response).json()));
      assert.ok(bodies.every((body) => JSON.stringify(body) === JSON.stringify(OK.body)));
      assert.equal(api.graphqlCalls.length, 1);
      const logged = audit.logs.slice(-20).reduce((sum, entry) => sum + (entry.upstream?.coalesced ?? 0), 0);
      assert.equal(logged, 19);
    });
  });

  it('does not coalesce calls that differ in IP or shopper identity', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const api = fakeApi({graphql: async () => (await gate, OK)});
    const everyoneIn = arrivals(4);
    await withProxy(audit, api, {trustedProxies: 1, shopperIdentity: everyoneIn.hook}, async (proxy) => {
      const pending = [
        proxy.post(productOffers('same'), {'x-forwarded-for': '203.0.113.1'}),
        proxy.post(productOffers('same'), {'x-forwarded-for': '203.0.113.2'}),
        proxy.post(productOffers('same'), {
          'x-forwarded-for': '203.0.113.1',
          'x-bwp-shopper-token': SHOPPER_TOKEN,
        }),
        proxy.post(productOffers('same'), {'x-forwarded-for': '203.0.113.1'}),
      ];
      await everyoneIn.done;
      release();
      await Promise.all(pending);
      assert.equal(api.graphqlCalls.length, 3);
    });
  });

  it('opens the circuit when 5 calls in its window all failed, fails fast, probes once when half-open, and closes on success', async () => {
    let time = 0;
    let healthy = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let probing!: () => void;
    const probeSent = new Promise<void>((resolve) => (probing = resolve));
    const api = fakeApi({
      graphql: async () => {
        if (!healthy) return {status: 502, body: {}};
        probing();
        return (await gate, OK);
      },
    });
    const breaker = createCircuitBreaker({minimumCalls: 5, openMs: 10_000, now: () => time});
    await withProxy(audit, api, {breaker}, async (proxy) => {
      for (let i = 0; i < 5; i++) await proxy.post(productOffers(`s${i}`));
      assert.equal(api.graphqlCalls.length, 15);
      assert.equal(breaker.state, 'open');
      const fast = await extensions(await proxy.post(productOffers('fast')));
      assert.deepEqual(fast, {code: 'unavailable', reason: 'circuit_open'});
      assert.equal(api.graphqlCalls.length, 15);
      const health = (await (await proxy.fetch(`${proxy.url}/bwp/health`)).json()) as {upstream: string};
      assert.equal(health.upstream, 'open');

      time += 10_000;
      healthy = true;
      const probe = proxy.post(productOffers('probe'));
      await probeSent;
      // While the probe is out, everyone else still fails fast.
      assert.equal((await extensions(await proxy.post(productOffers('other'))))!.reason, 'circuit_open');
      release();
      assert.deepEqual(await (await probe).json(), OK.body);
      assert.equal(breaker.state, 'closed');
      assert.deepEqual(await (await proxy.post(productOffers('after'))).json(), OK.body);
    });
  });

  it('sends the documented headers and the persisted document text upstream', async () => {
    const api = fakeApi();
    await withProxy(audit, api, {}, async (proxy) => {
      await proxy.post(productOffers('a'));
      const [call] = api.graphqlCalls;
      assert.match(call!.headers.get('authorization')!, /^Bearer at-0-/);
      assert.equal(call!.headers.get('x-api-target-id'), 'merchant-target');
      assert.equal(call!.headers.get('x-api-version'), '2024-11-01');
      assert.equal(call!.query, renderDocument(PRODUCT_OFFERS, productOffers('a').variables).query);
      // One operation per persisted document: no operationName needed (and none parsed out per call).
      assert.equal(call!.operationName, undefined);
      // The request graphql-request used to send, kept when the proxy dropped it for a plain POST.
      assert.equal(call!.headers.get('content-type'), 'application/json');
      assert.equal(call!.headers.get('accept'), 'application/graphql-response+json, application/json');
      assert.deepEqual(
        Object.keys(call!).filter((key) => key !== 'inputs' && key !== 'headers'),
        ['query', 'variables'],
      );
    });
  });

  it('retries an answer that is not a GraphQL result, and never forwards it', async () => {
    const api = fakeApi({
      graphql: (_, index) =>
        index === 0
          ? new Response('<html>gateway</html>', {headers: {'content-type': 'text/html'}})
          : index === 1
            ? Response.json(['not', 'a', 'result'])
            : OK,
    });
    await withProxy(audit, api, {random: () => 0}, async (proxy) => {
      const response = await proxy.post(productOffers('a'));
      assert.deepEqual(await response.json(), OK.body);
      assert.equal(api.graphqlCalls.length, 3);
    });
  });

  it('passes on the data of an answer holding nothing else as the API wrote it, and rebuilds any other answer', async () => {
    const offers = (totalCount: number) => `{"offers":{"edges":[],"totalCount":${totalCount}}}`;
    // A number written 1.0 and characters sent as they are: what serialising again would have written otherwise.
    const plain = '{"data":{"offers":{"edges":[],"totalCount":1.0,"note":"café 😀"}}}';
    const answers: Record<string, string> = {
      plain,
      // What the API sends on success.
      emptyExtensions: `{"data":${offers(2)},"extensions":{}}`,
      spaced: `{ "data" : ${offers(3)} }`,
      extended: `{"data":${offers(4)},"extensions":{"cost":"sku-secret"}}`,
      emptyErrors: `{"data":${offers(5)},"errors":[]}`,
      // A key twice: the last one counts, and the first must not reach the browser.
      twice: `{"data":${offers(6)},"extensions":{"cost":"sku-secret"},"extensions":{}}`,
      escapedTwice: `{"data":${offers(7)},"ext\\u0065nsions":{"cost":"sku-secret"},"extensions":{}}`,
      dataTwice: `{"data":{"note":"sku-secret"},"data":${offers(8)}}`,
    };
    const api = fakeApi({
      graphql: (call) =>
        new Response(answers[call.inputs.lineItems[0].product.identifier.sku as string], {
          headers: {'content-type': 'application/json'},
        }),
    });
    await withProxy(audit, api, {}, async (proxy) => {
      const text = async (sku: string) => (await proxy.post(productOffers(sku))).text();
      // As the API wrote it: not serialised again.
      assert.equal(await text('plain'), plain);
      assert.equal(JSON.parse(await text('plain')).data.offers.note, 'café 😀');
      assert.equal(await text('emptyExtensions'), `{"data":${offers(2)}}`);

      const skus = Object.keys(answers);
      const batch = await (await proxy.post(skus.map((sku) => productOffers(sku)))).text();
      assert.deepEqual(JSON.parse(batch), [
        JSON.parse(plain),
        ...[2, 3, 4, 5, 6, 7, 8].map((count) => ({data: JSON.parse(offers(count))})),
      ]);
      assert.doesNotMatch(batch, /sku-secret|extensions|errors/);
    });
  });
});
