import {expect, fixture, html} from '@open-wc/testing';
import '../../src/components/delivery-badge/define.js';
import {productOfferVariables} from '../../src/api/product-offer.js';
import {BwpRequestError} from '../../src/api/types.js';
import {fakeClock, fakeProxy, offerResponse, whenState} from './fake-proxy.js';

const op = (sku: string) => ({lineItems: [{product: {identifier: {sku}}}]});
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof BwpRequestError ? error.code : String(error)),
  );

describe('proxy client', () => {
  it('sends a grid of 48 badges as one HTTP request', async () => {
    const proxy = fakeProxy();
    const skus = Array.from({length: 48}, (_, i) => `SKU-${i}`);
    const grid = await fixture<HTMLElement>(
      html`<div>
        ${skus.map(
          (sku) =>
            html`<bwp-delivery-badge
              sku=${sku}
              variant="compact"
              .client=${proxy.client}
            ></bwp-delivery-badge>`,
        )}
      </div>`,
    );
    const call = await proxy.next();
    expect(call.body).to.be.an('array').with.length(48);
    call.respond(skus.map((_, i) => offerResponse({badge: i % 3 ? 'PRIME' : 'NONE'})));
    const badges = [...grid.querySelectorAll('bwp-delivery-badge')];
    await Promise.all(badges.map((b, i) => whenState(b, i % 3 ? 'ready' : 'empty')));
    expect(proxy.calls.length).to.equal(1);
  });

  it('splits a batch at the proxy’s limit', async () => {
    const proxy = fakeProxy({maxBatch: 50});
    const all = Array.from({length: 120}, (_, i) => proxy.client.request('ProductOffers.v1', op(`S${i}`)));
    const sizes = [];
    for (let i = 0; i < 3; i++) {
      const call = await proxy.next();
      const body = call.body as unknown[];
      sizes.push(body.length);
      call.respond(body.map(() => offerResponse()));
    }
    await Promise.all(all);
    expect(sizes).to.deep.equal([50, 50, 20]);
  });

  it('shares identical requests, queued or already in flight', async () => {
    const proxy = fakeProxy();
    const a = proxy.client.request('ProductOffers.v1', op('S1'));
    const b = proxy.client.request('ProductOffers.v1', op('S1'));
    const call = await proxy.next();
    expect(call.body).to.deep.equal({documentId: 'ProductOffers.v1', variables: op('S1')});
    const c = proxy.client.request('ProductOffers.v1', op('S1'));
    call.respond(offerResponse());
    const [ra, rb, rc] = await Promise.all([a, b, c]);
    expect(ra).to.deep.equal(rb);
    expect(rb).to.deep.equal(rc);
    expect(proxy.calls.length).to.equal(1);
  });

  it('drops an aborted request from its batch before it is sent', async () => {
    const proxy = fakeProxy();
    const controller = new AbortController();
    const gone = proxy.client.request('ProductOffers.v1', op('S1'), controller.signal);
    const kept = proxy.client.request('ProductOffers.v1', op('S2'));
    controller.abort();
    expect(await codeOf(gone)).to.contain('AbortError');
    const call = await proxy.next();
    expect(call.body).to.deep.equal({documentId: 'ProductOffers.v1', variables: op('S2')});
    call.respond(offerResponse());
    await kept;
  });

  it('aborts the HTTP request once nobody waits for it, and a later identical request goes out anew', async () => {
    const proxy = fakeProxy();
    const controller = new AbortController();
    const gone = proxy.client.request('ProductOffers.v1', op('S1'), controller.signal);
    const call = await proxy.next();
    controller.abort();
    await codeOf(gone);
    expect(call.signal!.aborted).to.equal(true);
    const again = proxy.client.request('ProductOffers.v1', op('S1'));
    (await proxy.next()).respond(offerResponse());
    await again;
    expect(proxy.calls.length).to.equal(2);
  });

  it('retries once, after a jittered delay, when the proxy answers 5xx', async () => {
    const clock = fakeClock();
    const proxy = fakeProxy({clock, retryDelayMs: 400, random: () => 0.25});
    const result = proxy.client.request('ProductOffers.v1', op('S1'));
    const first = await proxy.next();
    const retryDelay = clock.nextTimer();
    first.respond({}, 502);
    await retryDelay;
    // 400 ms × (0.5 + random 0.25)
    expect(clock.delays).to.deep.equal([300]);
    expect(proxy.calls.length).to.equal(1);
    clock.tick(299);
    expect(proxy.calls.length).to.equal(1);
    clock.tick(1);
    (await proxy.next()).respond(offerResponse());
    expect(await result).to.have.property('data');
  });

  it('gives up with unavailable after a timeout and its one retry time out too', async () => {
    const clock = fakeClock();
    const proxy = fakeProxy({clock, timeoutMs: 8000});
    const result = codeOf(proxy.client.request('ProductOffers.v1', op('S1')));
    const first = await proxy.next();
    const retryDelay = clock.nextTimer();
    clock.tick(8000);
    expect(first.signal!.aborted).to.equal(true);
    await retryDelay;
    clock.tick(10);
    const second = await proxy.next();
    clock.tick(8000);
    expect(second.signal!.aborted).to.equal(true);
    expect(await result).to.equal('unavailable');
    expect(proxy.calls.length).to.equal(2);
  });

  it('maps HTTP statuses to the closed codes, retrying only what may pass next time', async () => {
    const cases: Array<[number, string, number]> = [
      [429, 'rate_limited', 1],
      [400, 'invalid_request', 1],
      [413, 'invalid_request', 1],
      [415, 'invalid_request', 1],
      [500, 'unavailable', 2],
      [503, 'unavailable', 2],
    ];
    for (const [status, code, attempts] of cases) {
      const proxy = fakeProxy();
      const result = codeOf(proxy.client.request('ProductOffers.v1', op('S1')));
      for (let i = 0; i < attempts; i++) (await proxy.next()).respond({}, status);
      expect(await result, `HTTP ${status}`).to.equal(code);
      expect(proxy.calls.length, `attempts after HTTP ${status}`).to.equal(attempts);
    }
  });

  it('tells a refused origin, an unknown document and an unreachable proxy apart by the error reason', async () => {
    const reasonOf = (promise: Promise<unknown>) =>
      promise.then(
        () => 'resolved',
        (error: BwpRequestError) => `${error.code}/${error.reason}`,
      );
    const refusal = (reason: string) => ({
      data: null,
      errors: [{message: 'no', extensions: {code: 'invalid_request', reason}}],
    });
    const refused = fakeProxy();
    const origin = reasonOf(refused.client.request('ProductOffers.v1', op('S1')));
    (await refused.next()).respond(refusal('origin_not_allowed'), 403);
    expect(await origin).to.equal('invalid_request/origin_not_allowed');

    const down = fakeProxy();
    const unreachable = reasonOf(down.client.request('ProductOffers.v1', op('S1')));
    (await down.next()).fail();
    (await down.next()).fail();
    expect(await unreachable).to.equal('unavailable/unreachable');

    // A network error, then a 5xx on the retry: the proxy is there, its upstream is not.
    const upstream = fakeProxy();
    const failing = reasonOf(upstream.client.request('ProductOffers.v1', op('S1')));
    (await upstream.next()).fail();
    (await upstream.next()).respond({}, 503);
    expect(await failing).to.equal('unavailable/undefined');
  });

  it('maps a malformed body or a batch of the wrong length to unavailable', async () => {
    const proxy = fakeProxy();
    const single = codeOf(proxy.client.request('ProductOffers.v1', op('S1')));
    (await proxy.next()).respond('not an object');
    expect(await single).to.equal('unavailable');
    const a = codeOf(proxy.client.request('ProductOffers.v1', op('S1')));
    const b = codeOf(proxy.client.request('ProductOffers.v1', op('S2')));
    (await proxy.next()).respond([offerResponse()]);
    expect([await a, await b]).to.deep.equal(['unavailable', 'unavailable']);
  });

  it('sends one request per shopper token when they differ within a frame', async () => {
    let token: string | null = 'T1';
    const proxy = fakeProxy({shopperToken: () => token});
    const a = proxy.client.request('ProductOffers.v1', op('S1'));
    token = null;
    const b = proxy.client.request('ProductOffers.v1', op('S1'));
    const calls = [await proxy.next(), await proxy.next()];
    expect(calls.map((c) => c.headers.get('x-bwp-shopper-token'))).to.deep.equal(['T1', null]);
    calls.forEach((c) => c.respond(offerResponse()));
    await Promise.all([a, b]);
  });

  describe('early requests (prefetch, the CDN loader’s head start)', () => {
    it('gives its answer, once it has arrived, to as many later requests as it was started for', async () => {
      const proxy = fakeProxy();
      proxy.client.prefetch('ProductOffers.v1', op('S1'));
      proxy.client.prefetch('ProductOffers.v1', op('S1'), 2);
      const call = await proxy.next();
      const first = proxy.client.request('ProductOffers.v1', op('S1'));
      call.respond(offerResponse({message: 'Early'}));
      // The answer has arrived before the next ones ask, as when the elements' code is slower than the proxy.
      const a = await first;
      const [b, c] = await Promise.all([
        proxy.client.request('ProductOffers.v1', op('S1')),
        proxy.client.request('ProductOffers.v1', op('S1')),
      ]);
      expect(a).to.deep.equal(b);
      expect(b).to.deep.equal(c);
      expect(proxy.calls.length).to.equal(1);
      // Every use taken: the next request is a new one.
      const third = proxy.client.request('ProductOffers.v1', op('S1'));
      (await proxy.next()).respond(offerResponse());
      await third;
      expect(proxy.calls.length).to.equal(2);
    });

    it('lets a request made while it is in flight join it', async () => {
      const proxy = fakeProxy();
      proxy.client.prefetch('ProductOffers.v1', op('S1'));
      const call = await proxy.next();
      const joined = proxy.client.request('ProductOffers.v1', op('S1'));
      call.respond(offerResponse());
      await joined;
      expect(proxy.calls.length).to.equal(1);
    });

    it('goes out in one HTTP request with the other early requests of the same task', async () => {
      const proxy = fakeProxy();
      for (let i = 0; i < 48; i++) proxy.client.prefetch('ProductOffers.v1', op(`S${i}`));
      const call = await proxy.next();
      expect(call.body).to.be.an('array').with.length(48);
      call.respond((call.body as unknown[]).map(() => offerResponse()));
    });

    it('goes out within the task when flushed, all queued requests in one HTTP request', async () => {
      const proxy = fakeProxy();
      for (let i = 0; i < 3; i++) proxy.client.prefetch('ProductOffers.v1', op(`S${i}`));
      expect(proxy.calls.length).to.equal(0);
      proxy.client.flush();
      // Synchronously: no await has let the batching window end.
      expect(proxy.calls.length).to.equal(1);
      expect(proxy.calls[0]!.body).to.be.an('array').with.length(3);
      proxy.calls[0]!.respond([offerResponse(), offerResponse(), offerResponse()]);
      await proxy.client.request('ProductOffers.v1', op('S0'));
      expect(proxy.calls.length).to.equal(1);
    });

    it('passes on a failure as the request’s own error', async () => {
      const proxy = fakeProxy();
      proxy.client.prefetch('ProductOffers.v1', op('S1'));
      (await proxy.next()).respond({}, 429);
      expect(await codeOf(proxy.client.request('ProductOffers.v1', op('S1')))).to.equal('rate_limited');
    });

    it('is not taken by another shopper: signing in between asks again with the token', async () => {
      const proxy = fakeProxy({shopperToken: () => token});
      let token: string | null = null;
      proxy.client.prefetch('ProductOffers.v1', op('S1'));
      (await proxy.next()).respond(offerResponse());
      token = 'T1';
      const signedIn = proxy.client.request('ProductOffers.v1', op('S1'));
      const call = await proxy.next();
      expect(call.headers.get('x-bwp-shopper-token')).to.equal('T1');
      call.respond(offerResponse());
      await signedIn;
    });

    it('drops an answer nobody took 10 s after it arrived, so that it never shows stale', async () => {
      /** Calls made by a request for an early answer of two uses, one taken at once, the other `ms` later. */
      const callsAfter = async (ms: number) => {
        const clock = fakeClock();
        const proxy = fakeProxy({clock});
        proxy.client.prefetch('ProductOffers.v1', op('S1'), 2);
        const taken = proxy.client.request('ProductOffers.v1', op('S1'));
        (await proxy.next()).respond(offerResponse());
        await taken;
        clock.tick(ms);
        const later = proxy.client.request('ProductOffers.v1', op('S1'));
        if (
          proxy.calls.length > 1 ||
          (await Promise.race([later.then(() => false), proxy.next().then(() => true)]))
        )
          proxy.calls.at(-1)!.respond(offerResponse());
        await later;
        return proxy.calls.length;
      };
      expect(await callsAfter(9_999)).to.equal(1);
      expect(await callsAfter(10_000)).to.equal(2);
    });

    it('shows an answer that arrived before the element was defined in its first render, never loading', async () => {
      const proxy = fakeProxy();
      const variables = productOfferVariables({sku: 'S1'})!;
      // Two uses: one taken here, once the answer has arrived (the loader's case: the element code is
      // slower than the proxy), the other by the element.
      proxy.client.prefetch('ProductOffers.v1', variables, 2);
      const first = proxy.client.request('ProductOffers.v1', variables);
      (await proxy.next()).respond(offerResponse({message: 'Early'}));
      await first;
      const el = document.createElement('bwp-delivery-badge');
      el.setAttribute('sku', 'S1');
      const states: Array<string | null> = [];
      new MutationObserver(() => states.push(el.getAttribute('state'))).observe(el, {
        attributeFilter: ['state'],
      });
      (el as unknown as {client: unknown}).client = proxy.client;
      document.body.append(el);
      await whenState(el as HTMLElement & {updateComplete: Promise<unknown>}, 'ready');
      expect(states).to.deep.equal(['ready']);
      expect(el.shadowRoot!.querySelector('[part="delivery"]')!.textContent).to.equal('Early');
      expect(proxy.calls.length).to.equal(1);
      el.remove();
    });

    it('lets an aborted caller go while the early answer stays for the others', async () => {
      const proxy = fakeProxy();
      proxy.client.prefetch('ProductOffers.v1', op('S1'), 2);
      const call = await proxy.next();
      const controller = new AbortController();
      const gone = codeOf(proxy.client.request('ProductOffers.v1', op('S1'), controller.signal));
      controller.abort();
      expect(await gone).to.match(/abort/i);
      const kept = proxy.client.request('ProductOffers.v1', op('S1'));
      call.respond(offerResponse());
      await kept;
      expect(proxy.calls.length).to.equal(1);
      expect(call.signal?.aborted).to.equal(false);
    });
  });
});
