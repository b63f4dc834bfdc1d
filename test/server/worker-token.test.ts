// The Worker's token: kept in isolate memory in front of Workers KV (no KV read per request), refreshed well before
// it expires (while the old one still serves), and written to KV for at least KV's 60 s so other isolates find it.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createWorker, kvTokenStore, type KvNamespace} from '../../server/proxy/worker.ts';
import {CLIENT_ID, CLIENT_SECRET, createAudit, fakeApi, productOffers, TARGET_ID} from './proxy-fixtures.ts';

const env = () => ({
  BWP_API_URL: 'http://api.test/graphql',
  BWP_TOKEN_URL: 'http://api.test/token',
  BWP_CLIENT_ID: CLIENT_ID,
  BWP_CLIENT_SECRET: CLIENT_SECRET,
  BWP_TARGET_ID: TARGET_ID,
});

/** A KV namespace in a Map that counts its reads and remembers each write's TTL. */
function countingKv() {
  const values = new Map<string, string>();
  const kv = {
    gets: 0,
    ttls: [] as number[],
    get: async (key: string) => {
      kv.gets++;
      return values.get(key) ?? null;
    },
    put: async (key: string, value: string, options?: {expirationTtl?: number}) => {
      kv.ttls.push(options?.expirationTtl ?? Infinity);
      values.set(key, value);
    },
  } satisfies KvNamespace & Record<string, unknown>;
  return kv;
}

const request = (sku: string) =>
  new Request('https://proxy.example/bwp/graphql', {
    method: 'POST',
    headers: {'content-type': 'application/json'},
    body: JSON.stringify(productOffers(sku)),
  });

describe('the Worker token in front of KV', () => {
  const audit = createAudit();

  it('reads KV once for a burst of cold requests and never again while the token is fresh', async () => {
    const api = audit.watch(fakeApi());
    const kv = countingKv();
    const worker = createWorker({
      options: {fetch: api.fetch, logger: audit.logger, rateLimiter: false},
      tokenStore: () => kvTokenStore(kv),
    });
    const burst = await Promise.all(
      Array.from({length: 50}, (_, i) => worker.fetch(request(`s${i}`), env())),
    );
    assert.deepEqual(new Set(burst.map((r) => r.status)), new Set([200]));
    const gets = kv.gets;
    // A fresh env object per request, as a runtime may hand out: the isolate's proxy and token still serve.
    for (let i = 0; i < 100; i++) assert.equal((await worker.fetch(request(`t${i}`), env())).status, 200);
    assert.equal(api.tokenCalls, 1);
    assert.ok(gets <= 2, `${gets} KV reads for the cold burst`);
    assert.equal(kv.gets, gets, 'no KV read per warm request');
  });

  it('refreshes well before expiry while the old token serves, and other isolates take the new one from KV', async () => {
    let time = Date.parse('2026-11-30T06:00:00Z');
    const now = () => time;
    const api = audit.watch(fakeApi());
    const kv = countingKv();
    const make = () =>
      createWorker({
        options: {fetch: api.fetch, logger: audit.logger, now},
        tokenStore: () => kvTokenStore(kv, undefined, now),
      });
    const first = make();
    assert.equal((await first.fetch(request('a'), env())).status, 200);
    const [oldToken] = api.tokensIssued;

    // 13 of the token's 15 minutes gone: 2 minutes left, past the 3-minute refresh margin, inside its life.
    time += 13 * 60_000;
    assert.equal((await first.fetch(request('b'), env())).status, 200);
    assert.equal(api.graphqlCalls.at(-1)!.headers.get('authorization'), `Bearer ${oldToken}`);
    // The background refresh settles on a condition, not a clock: the new token reaches KV.
    for (let i = 0; i < 1000 && api.tokensIssued.length < 2; i++) await new Promise(setImmediate);
    for (let i = 0; i < 1000 && kv.ttls.length < 2; i++) await new Promise(setImmediate);
    assert.equal(api.tokenCalls, 2);
    assert.ok(
      kv.ttls.every((ttl) => ttl >= 60),
      `KV TTLs ${kv.ttls.join(', ')}`,
    );

    const second = make();
    assert.equal((await second.fetch(request('c'), env())).status, 200);
    assert.equal(api.graphqlCalls.at(-1)!.headers.get('authorization'), `Bearer ${api.tokensIssued[1]}`);
    assert.equal(api.tokenCalls, 2, 'the second isolate found the token in KV');
  });

  it('says once that BWP_REDIS_URL does nothing in a Worker instead of silently running unshared', async () => {
    const api = audit.watch(fakeApi());
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (line: string) => void warnings.push(line);
    try {
      const worker = createWorker({options: {fetch: api.fetch, logger: audit.logger}});
      const bindings = {...env(), BWP_REDIS_URL: 'redis://:secret@cache:6379'};
      for (let i = 0; i < 3; i++) assert.equal((await worker.fetch(request(`r${i}`), bindings)).status, 200);
    } finally {
      console.warn = warn;
    }
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /BWP_REDIS_URL is ignored in a Worker/);
  });
});
