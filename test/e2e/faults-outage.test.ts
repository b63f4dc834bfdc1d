// The short versions of the soak's scenarios (test/long/soak.test.ts), over real HTTP against the sandbox: an
// upstream outage opens the circuit and the proxy recovers by itself; a short-lived token is fetched once per
// lifetime, not once per request. Time is a manual clock, so the scenario takes well under a second. How fast the
// short-circuited answers are is a figure for `npm run bench -- circuit`, not an assertion here.
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {createProxy, type ProxyOptions} from '../../server/proxy/proxy.ts';
import {createSandbox, SANDBOX_DEFAULTS} from '../../server/sandbox/sandbox.ts';
import {listen} from '../server/helpers.ts';

const clock = (start = Date.parse('2026-11-22T10:00:00Z')) => {
  let time = start;
  return {now: () => time, advance: (ms: number) => (time += ms)};
};

/**
 * The sandbox over HTTP, and a proxy whose upstream fetch counts calls and can turn every answer into a 503, or
 * never answer at all (`hung`: the call then ends only at the proxy's real 3 s deadline).
 */
async function stack(options: {tokenTtlSeconds?: number; proxy?: Partial<ProxyOptions>} = {}) {
  const time = clock();
  const sandbox = await listen(
    createSandbox({
      allowFaultHeaders: true,
      tokenTtlSeconds: options.tokenTtlSeconds,
      now: () => new Date(time.now()),
    }),
  );
  const upstream = {graphql: 0, token: 0, down: false, hung: false};
  const proxy = await listen(
    createProxy({
      apiUrl: `${sandbox.url}/graphql`,
      tokenUrl: `${sandbox.url}/token`,
      ...SANDBOX_DEFAULTS,
      rateLimiter: false,
      random: () => 0,
      now: time.now,
      fetch: (input, init) => {
        const request = new Request(input, init);
        if (new URL(request.url).pathname === '/token') upstream.token++;
        else upstream.graphql++;
        if (upstream.down) request.headers.set('x-sandbox-fault', 'status=503');
        if (upstream.hung)
          return new Promise<Response>((_, reject) =>
            request.signal.addEventListener('abort', () => reject(request.signal.reason)),
          );
        return fetch(request);
      },
      ...options.proxy,
    } as ProxyOptions),
  );
  const ask = async (sku = 'example-sku-1') => {
    const response = await fetch(`${proxy.url}/bwp/graphql`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({
        documentId: 'ProductOffers.v1',
        variables: {lineItems: [{product: {identifier: {sku}}}]},
      }),
    });
    const body = (await response.json()) as {errors?: Array<{extensions: {reason?: string}}>};
    return {
      status: response.status,
      reason: body.errors?.[0]?.extensions.reason ?? 'ok',
    };
  };
  const health = async () =>
    ((await (await fetch(`${proxy.url}/bwp/health`)).json()) as {upstream: string}).upstream;
  return {
    time,
    upstream,
    ask,
    health,
    close: async () => {
      await proxy.close();
      await sandbox.close();
    },
  };
}

describe('upstream outage, short: the circuit opens, fails fast, probes once, and closes by itself', () => {
  // The proxy's default breaker: open when at least 20 calls in 10 s were made and half of them failed, for
  // 10 s, on the stack's clock.
  let s: Awaited<ReturnType<typeof stack>>;

  before(async () => {
    s = await stack();
  });
  after(() => s.close());

  it('runs the whole outage: healthy, down, open, one failed probe, back, closed', async () => {
    const time = s.time;
    assert.equal((await s.ask()).reason, 'ok');
    assert.equal(await s.health(), 'closed');

    // Down: each call tries 3 times, then fails; with the healthy call, 19 failures make 20 calls in the window.
    s.upstream.down = true;
    const before = s.upstream.graphql;
    for (let i = 0; i < 19; i++) assert.equal((await s.ask()).reason, 'upstream_failed');
    assert.equal(s.upstream.graphql - before, 57, '19 calls × 3 attempts');
    assert.equal(await s.health(), 'open');

    // Open: the upstream now never answers, yet every request is answered circuit_open, none upstream_timeout:
    // the proxy answers without asking the upstream, so without waiting for its deadline.
    s.upstream.hung = true;
    for (let i = 0; i < 50; i++) assert.equal((await s.ask()).reason, 'circuit_open', `request ${i}`);
    assert.equal(s.upstream.graphql - before, 57, 'no upstream call while open');
    s.upstream.hung = false;

    // After the open period, one probe goes through; it fails, so the circuit opens again.
    time.advance(10_000);
    assert.equal(await s.health(), 'half-open');
    const [probe, during] = await Promise.all([s.ask(), s.ask('example-sku-2')]);
    assert.equal(probe.reason, 'upstream_failed');
    assert.equal(during.reason, 'circuit_open', 'only one probe at a time');
    assert.equal(s.upstream.graphql - before, 60, 'one probe of 3 attempts');
    assert.equal(await s.health(), 'open');

    // The upstream is back: the next probe succeeds and the proxy serves again, with no one resetting it.
    s.upstream.down = false;
    time.advance(10_000);
    assert.equal((await s.ask()).reason, 'ok');
    assert.equal(await s.health(), 'closed');
    const answers = await Promise.all(
      ['example-sku-1', 'example-sku-2', 'BOOK-MOBY-DICK'].map((sku) => s.ask(sku)),
    );
    assert.deepEqual(
      answers.map((a) => a.reason),
      ['ok', 'ok', 'ok'],
    );
  });
});

describe('short-lived tokens: one token call per lifetime, never one per request', () => {
  it('refreshes a 10 s token about every 7.5 s while requests keep coming', async () => {
    const s = await stack({tokenTtlSeconds: 10});
    try {
      // 60 s of traffic, 5 requests a second, on the manual clock.
      for (let i = 0; i < 300; i++) {
        const answer = await s.ask(i % 2 ? 'example-sku-1' : 'example-sku-2');
        assert.equal(answer.reason, 'ok', `request ${i}`);
        s.time.advance(200);
      }
      // Refresh at 75 % of the lifetime: 60 s / 7.5 s = 8 refreshes, plus the first token.
      console.log(
        `short-lived tokens: ${s.upstream.token} token calls for 300 requests over 60 s (10 s tokens)`,
      );
      assert.ok(s.upstream.token >= 6 && s.upstream.token <= 10, `${s.upstream.token} token calls`);
    } finally {
      await s.close();
    }
  });
});
