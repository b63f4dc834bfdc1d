// Issue 13 item 5 over real HTTP: the proxy's own origin behind TLS termination (BWP_PUBLIC_ORIGIN), and a Host
// header that never makes an origin the proxy's own (DNS rebinding), on the Node server and the Express mount.
import assert from 'node:assert/strict';
import {request as httpRequest} from 'node:http';
import {describe, it} from 'node:test';
import express from 'express';
import {proxyOptionsFromEnv} from '../../server/proxy/config.ts';
import {expressMiddleware} from '../../server/proxy/node.ts';
import {createProxy, type ProxyOptions} from '../../server/proxy/proxy.ts';
import {listen} from './helpers.ts';
import {createAudit, fakeApi, productOffers, serveProxy, type Envelope} from './proxy-fixtures.ts';

const SHOP = 'https://shop.example';

/** A POST with exactly these Host and Origin headers (fetch will not send a Host of our choosing). */
function post(url: string, headers: Record<string, string>): Promise<{status: number; body: string}> {
  const body = JSON.stringify(productOffers('sku-1'));
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      `${url}/bwp/graphql`,
      {method: 'POST', headers: {'content-type': 'application/json', ...headers}},
      (incoming) => {
        let text = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => (text += chunk));
        incoming.on('end', () => resolve({status: incoming.statusCode ?? 0, body: text}));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const reasonOf = (body: string) => (JSON.parse(body) as Envelope).errors?.[0]?.extensions.reason;

describe('the proxy own origin on Node mounts', () => {
  const audit = createAudit();

  it('allows the same-origin POST of a shop behind TLS termination once BWP_PUBLIC_ORIGIN names it', async () => {
    const api = audit.watch(fakeApi());
    const env = {BWP_PUBLIC_ORIGIN: SHOP};
    const fromEnv = proxyOptionsFromEnv(env, () => ({
      apiUrl: 'http://api.test/graphql',
      tokenUrl: 'http://api.test/token',
      clientId: 'c',
      clientSecret: 's',
      targetId: 't',
      fetch: api.fetch,
    }));
    const proxy = await listen(createProxy({...fromEnv, logger: audit.logger}));
    try {
      // What nginx or an ALB forwards for https://shop.example: the shop's Host, over plain HTTP.
      const answer = await post(proxy.url, {
        host: 'shop.example',
        origin: SHOP,
        'x-forwarded-proto': 'https',
      });
      assert.equal(answer.status, 200, answer.body);
      assert.equal(api.graphqlCalls.length, 1);
    } finally {
      await proxy.close();
    }
  });

  it('refuses an origin whose only claim is the Host header it sent (DNS rebinding), with origin_not_allowed', async () => {
    const api = fakeApi();
    const proxy = await serveProxy(api, audit, {allowedOrigins: [SHOP]});
    try {
      const port = new URL(proxy.url).port;
      const rebound = `rebind.attacker.example:${port}`;
      const answer = await post(proxy.url, {host: rebound, origin: `http://${rebound}`});
      assert.equal(answer.status, 403, answer.body);
      assert.equal(reasonOf(answer.body), 'origin_not_allowed');
      assert.equal(api.upstreamCalls, 0);
    } finally {
      await proxy.close();
    }
  });

  it('refuses a forged X-Forwarded-Host and X-Forwarded-Proto even from a trusted proxy', async () => {
    const api = fakeApi();
    const proxy = await serveProxy(api, audit, {trustedProxies: 'loopback', publicOrigin: SHOP});
    try {
      const answer = await post(proxy.url, {
        host: 'evil.example',
        origin: 'https://evil.example',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
      });
      assert.equal(answer.status, 403, answer.body);
      assert.equal(api.upstreamCalls, 0);
    } finally {
      await proxy.close();
    }
  });

  it('still allows a page served by the Node server itself, by the address it listens on', async () => {
    const api = fakeApi();
    const proxy = await serveProxy(api, audit, {});
    try {
      const answer = await post(proxy.url, {origin: proxy.url});
      assert.equal(answer.status, 200, answer.body);
    } finally {
      await proxy.close();
    }
  });

  it('gives the Express mount the same rules: public origin allowed, rebound Host refused', async () => {
    const api = audit.watch(fakeApi());
    const options: ProxyOptions = {
      apiUrl: 'http://api.test/graphql',
      tokenUrl: 'http://api.test/token',
      clientId: 'c',
      clientSecret: 's',
      targetId: 't',
      fetch: api.fetch,
      logger: audit.logger,
      publicOrigin: SHOP,
    };
    const app = express();
    app.use(expressMiddleware(createProxy(options)));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as {port: number}).port}`;
    try {
      const shop = await post(url, {host: 'shop.example', origin: SHOP});
      assert.equal(shop.status, 200, shop.body);
      const rebound = await post(url, {
        host: 'rebind.attacker.example',
        origin: 'http://rebind.attacker.example',
      });
      assert.equal(rebound.status, 403, rebound.body);
      assert.equal(api.graphqlCalls.length, 1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
