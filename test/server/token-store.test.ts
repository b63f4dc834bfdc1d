// A broken token store is a cache miss: the proxy fetches its token itself and keeps serving.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createTokenSource, type TokenStore} from '../../server/proxy/token.ts';
import {kvTokenStore} from '../../server/proxy/worker.ts';
import {createAudit, fakeApi, productOffers, serveProxy, type Envelope} from './proxy-fixtures.ts';

const OK = {data: {offers: {edges: [], totalCount: 0}}};

describe('token store failures', () => {
  const audit = createAudit();

  async function sixRequests(tokenStore: TokenStore) {
    const api = audit.watch(fakeApi());
    const proxy = await serveProxy(api, audit, {tokenStore});
    try {
      const answers: unknown[] = [];
      for (let i = 0; i < 6; i++) answers.push(await (await proxy.post(productOffers(`s${i}`))).json());
      return {answers, api};
    } finally {
      await proxy.close();
    }
  }

  it('answers every request when the store throws, fetching one token itself, and never opens the circuit', async () => {
    const down = (): Promise<never> => Promise.reject(new Error('ECONNREFUSED redis:6379'));
    const {answers, api} = await sixRequests({get: down, set: down, withLock: down});
    assert.deepEqual(answers, Array(6).fill(OK));
    assert.equal(api.tokenCalls, 1);
  });

  it('treats a corrupt Workers KV value as no token at all', async () => {
    const namespace = {get: async () => '{"token": "at-', put: async () => undefined};
    const {answers, api} = await sixRequests(kvTokenStore(namespace));
    assert.deepEqual(answers, Array(6).fill(OK));
    assert.equal(api.tokenCalls, 1);
  });

  it('treats a stored value of the wrong shape as no token, never sending it as a bearer', async () => {
    const store: TokenStore = {
      get: async () => ({token: 42, expiresAt: 'soon'}) as never,
      set: async () => undefined,
    };
    const {answers, api} = await sixRequests(store);
    assert.deepEqual(answers, Array(6).fill(OK));
    assert.ok(api.graphqlCalls.every((call) => /^Bearer at-/.test(call.headers.get('authorization')!)));
  });

  it('says once, without the error’s text, that the store failed', async () => {
    const reports: unknown[] = [];
    const api = audit.watch(fakeApi());
    const tokens = createTokenSource({
      tokenUrl: 'http://api.test/token',
      clientId: 'id',
      clientSecret: 'secret',
      fetch: api.fetch,
      store: {get: () => Promise.reject(new Error('password=hunter2')), set: async () => undefined},
      onStoreError: (report) => reports.push(report),
    });
    for (let i = 0; i < 3; i++) assert.match(await tokens.get(), /^at-/);
    assert.equal(reports.length, 1);
    assert.doesNotMatch(JSON.stringify(reports), /hunter2/);
  });

  it('still answers unavailable when the token endpoint itself fails', async () => {
    const api = audit.watch(fakeApi({token: () => ({status: 500, body: {}})}));
    const proxy = await serveProxy(api, audit, {});
    try {
      const body = (await (await proxy.post(productOffers('a'))).json()) as Envelope;
      assert.deepEqual(body.errors![0]!.extensions, {code: 'unavailable', reason: 'token_unavailable'});
    } finally {
      await proxy.close();
    }
  });
});
