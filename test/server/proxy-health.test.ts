import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {CHECKOUT_OFFERS, DOCUMENTS, PRODUCT_OFFERS} from '../../server/operations/documents.ts';
import {documentSetVersion} from '../../server/proxy/proxy.ts';
import {createAudit, fakeApi, productOffers, withProxy, type ProxyUnderTest} from './proxy-fixtures.ts';

interface Health {
  status: string;
  upstream: string;
  token: string;
  lastUpstream: {outcome: string; at: string} | null;
  documents: string;
  allowedOrigins: string[];
}

const health = async (proxy: ProxyUnderTest) => {
  const response = await proxy.fetch(`${proxy.url}/bwp/health`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  return (await response.json()) as Health;
};

// An older deployment: the checkout document as it was, and no delivery preview yet.
const OLDER = new Map([
  [PRODUCT_OFFERS.id, PRODUCT_OFFERS],
  [CHECKOUT_OFFERS.id, {...CHECKOUT_OFFERS, query: CHECKOUT_OFFERS.query.replace('expiresAt', '')}],
]);

describe('GET /bwp/health tells an operator what the proxy can do, and nothing secret', () => {
  // The audit fails the file if a body, header or log line carries the client secret or an access token.
  const audit = createAudit();

  it('says a token was obtained, lists the allowed origins and the document set version, before any call', async () => {
    const api = fakeApi();
    await withProxy(audit, api, {allowedOrigins: ['https://shop.example']}, async (proxy) => {
      const body = await health(proxy);
      assert.deepEqual(
        {...body, documents: body.documents.length},
        {
          status: 'ok',
          upstream: 'closed',
          token: 'ok',
          lastUpstream: null,
          documents: 16,
          allowedOrigins: ['https://shop.example'],
        },
      );
      assert.match(body.documents, /^[0-9a-f]{16}$/);
      assert.equal(api.tokenCalls, 1);
      assert.equal(api.graphqlCalls.length, 0);
      await health(proxy);
      assert.equal(api.tokenCalls, 1, 'a cached token is not fetched again');
    });
  });

  it('says the token cannot be obtained when the token endpoint refuses, still answering 200', async () => {
    const api = fakeApi({token: () => ({status: 401, body: {error: 'invalid_client'}})});
    await withProxy(audit, api, {}, async (proxy) => {
      const body = await health(proxy);
      assert.equal(body.token, 'unavailable');
      assert.equal(body.status, 'ok');
    });
  });

  it("reports the upstream's last outcome: failed after a 502, ok after an answer", async () => {
    let failing = true;
    const api = fakeApi({graphql: () => (failing ? {status: 502, body: {}} : undefined!)});
    await withProxy(audit, api, {maxAttempts: 1}, async (proxy) => {
      await proxy.post(productOffers('a'));
      const failed = await health(proxy);
      assert.equal(failed.lastUpstream?.outcome, 'failed');
      assert.ok(!Number.isNaN(Date.parse(failed.lastUpstream!.at)));
      failing = false;
      await proxy.post(productOffers('b'));
      assert.equal((await health(proxy)).lastUpstream?.outcome, 'ok');
    });
  });

  it('gives an older document set another version, and says which document it does not know', async () => {
    const api = fakeApi();
    await withProxy(audit, api, {documents: OLDER}, async (proxy) => {
      const older = await health(proxy);
      assert.notEqual(older.documents, await documentSetVersion(DOCUMENTS));
      assert.equal(older.documents, await documentSetVersion(new Map(OLDER)));
      const response = await proxy.post({documentId: 'DeliveryPreview.v1', variables: {}});
      const answer = (await response.json()) as {errors: Array<{extensions: object}>};
      assert.deepEqual(answer.errors[0]!.extensions, {code: 'invalid_request', reason: 'unknown_document'});
    });
  });
});
