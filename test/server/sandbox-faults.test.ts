import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {parseFaultHeader} from '../../server/sandbox/faults.ts';
import {createSandbox} from '../../server/sandbox/sandbox.ts';
import {listen, type Served} from './helpers.ts';
import {line, OFFERS, sandboxClient} from './sandbox-client.ts';

const offers = {input: {lineItems: [line('example-sku-1')]}};

describe('sandbox fault injection and throttling', () => {
  it('answers ThrottlingError with HTTP 429 and Retry-After past the configured rate', async () => {
    const sandbox = sandboxClient({throttle: {limit: 2, windowMs: 60_000}});
    assert.equal((await sandbox.graphql(OFFERS, offers)).status, 200);
    assert.equal((await sandbox.graphql(OFFERS, offers)).status, 200);
    const {status, body} = await sandbox.graphql(OFFERS, offers);
    assert.equal(status, 429);
    assert.equal(body.data, null);
    assert.deepEqual(body.errors![0].extensions.classification, {
      type: 'ThrottlingError',
      errorType: 'ThrottlingException',
      errorCode: 429,
    });
  });

  it('lets requests through again once the window has passed, and not a millisecond before', async () => {
    let time = 1_000_000;
    const sandbox = sandboxClient({throttle: {limit: 1, windowMs: 30, now: () => time}});
    assert.equal((await sandbox.graphql(OFFERS, offers)).status, 200);
    assert.equal((await sandbox.graphql(OFFERS, offers)).status, 429);
    time += 29;
    assert.equal((await sandbox.graphql(OFFERS, offers)).status, 429);
    time += 1;
    assert.equal((await sandbox.graphql(OFFERS, offers)).status, 200);
  });

  it('injects a 5xx with an InternalServerError envelope, set by options', async () => {
    const sandbox = sandboxClient({faults: {status: 503}});
    const {status, body} = await sandbox.graphql(OFFERS, offers);
    assert.equal(status, 503);
    assert.equal(body.errors![0].extensions.classification.type, 'InternalServerError');
  });

  it('chooses faults per request with a function, e.g. only the first request fails', async () => {
    let calls = 0;
    const sandbox = sandboxClient({
      faults: (request) => (request.url.endsWith('/graphql') && ++calls === 1 ? {status: 500} : undefined),
    });
    assert.equal((await sandbox.graphql(OFFERS, offers)).status, 500);
    assert.equal((await sandbox.graphql(OFFERS, offers)).status, 200);
  });

  it('ignores the fault header unless allowFaultHeaders is set', async () => {
    const closed = sandboxClient();
    assert.equal((await closed.graphql(OFFERS, offers, {'x-sandbox-fault': 'status=500'})).status, 200);
    const open = sandboxClient({allowFaultHeaders: true});
    assert.equal((await open.graphql(OFFERS, offers, {'x-sandbox-fault': 'status=502'})).status, 502);
    assert.equal((await open.graphql(OFFERS, offers, {'x-sandbox-fault': 'throttle'})).status, 429);
    assert.equal((await open.graphql(OFFERS, offers, {'x-sandbox-fault': 'explode'})).status, 400);
  });

  it('adds latency before answering', async () => {
    const sandbox = sandboxClient({allowFaultHeaders: true});
    await sandbox.token();
    const started = performance.now();
    const {status} = await sandbox.graphql(OFFERS, offers, {'x-sandbox-fault': 'latency=120'});
    assert.equal(status, 200);
    assert.ok(performance.now() - started >= 115);
  });

  it('parses the fault header forms and refuses unknown or out-of-range ones', () => {
    assert.deepEqual(parseFaultHeader('status=503, latency=300'), {on: 'all', status: 503, latencyMs: 300});
    assert.deepEqual(parseFaultHeader('malformed'), {on: 'all', malformed: true});
    assert.deepEqual(parseFaultHeader('drop'), {on: 'all', drop: true});
    assert.throws(() => parseFaultHeader('status=200'), RangeError);
    assert.throws(() => parseFaultHeader('latency=999999'), RangeError);
  });

  it('applies faults to the token endpoint only when asked', async () => {
    const graphqlOnly = sandboxClient({faults: {status: 500}});
    await graphqlOnly.token(); // asserts 200
    const both = createSandbox({faults: {status: 500, on: 'all'}});
    const response = await both(
      new Request('http://sandbox.test/token', {method: 'POST', body: 'grant_type=client_credentials'}),
    );
    assert.equal(response.status, 500);
  });

  describe('over real HTTP', () => {
    let served: Served;
    let token: string;
    before(async () => {
      served = await listen(createSandbox({allowFaultHeaders: true}));
      const response = await fetch(`${served.url}/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'sandbox-client',
          client_secret: 'sandbox-secret',
        }),
      });
      token = ((await response.json()) as {access_token: string}).access_token;
    });
    after(() => served.close());

    const send = (fault: string) =>
      fetch(`${served.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'x-api-target-id': 'sandbox-target',
          'x-sandbox-fault': fault,
        },
        body: JSON.stringify({query: OFFERS, variables: offers}),
      });

    it('sends a malformed JSON body with status 200', async () => {
      const response = await send('malformed');
      assert.equal(response.status, 200);
      await assert.rejects(response.json(), SyntaxError);
    });

    it('drops the connection: the client sees a network error', async () => {
      await assert.rejects(
        send('drop').then((response) => response.text()),
        (error: Error) =>
          error instanceof TypeError && /terminated|fetch failed|other side closed/i.test(error.message),
      );
    });

    it('still answers normally after a dropped connection', async () => {
      const response = await send('latency=0');
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as {data: any}).data.offers.totalCount, 1);
    });
  });
});
