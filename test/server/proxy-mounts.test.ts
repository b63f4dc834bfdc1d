import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import type {AddressInfo} from 'node:net';
import {describe, it} from 'node:test';
import express from 'express';
import {createLambdaHandler} from '../../server/proxy/lambda.ts';
import type {Logger} from '../../server/proxy/log.ts';
import {expressMiddleware} from '../../server/proxy/node.ts';
import {createProxy} from '../../server/proxy/proxy.ts';
import worker, {createWorker, kvTokenStore, type KvNamespace} from '../../server/proxy/worker.ts';
import {CLIENT_ID, CLIENT_SECRET, createAudit, fakeApi, productOffers, TARGET_ID} from './proxy-fixtures.ts';
import {lambdaEvent} from '../e2e/merchant.ts';

const options = (api: ReturnType<typeof fakeApi>, logger: Logger) => ({
  apiUrl: 'http://api.test/graphql',
  tokenUrl: 'http://api.test/token',
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  targetId: TARGET_ID,
  fetch: api.fetch,
  logger,
});

const postInit = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: {'content-type': 'application/json', ...headers},
  body: JSON.stringify(body),
});

describe('proxy mounts', () => {
  const audit = createAudit();

  it('runs inside an Express app, next to its own routes, with the socket as the client IP', async () => {
    const api = audit.watch(fakeApi());
    const app = express();
    app.use(expressMiddleware(createProxy(options(api, audit.logger))));
    app.get('/shop', (_req, res) => {
      res.send('the shop');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const response = await audit.fetch(`${url}/bwp/graphql`, postInit(productOffers('a')));
      assert.equal(response.status, 200);
      assert.deepEqual(api.graphqlCalls[0]!.variables.location, {ipAddress: '127.0.0.1'});
      assert.equal(await (await fetch(`${url}/shop`)).text(), 'the shop');
      assert.equal((await audit.fetch(`${url}/bwp/health`)).status, 200);
      const big = await audit.fetch(`${url}/bwp/graphql`, postInit({padding: 'x'.repeat(20_000)}));
      assert.equal(big.status, 413);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('runs as a Worker module built from its bindings, with the client IP from CF-Connecting-IP', async () => {
    const api = audit.watch(fakeApi());
    const env = {
      BWP_API_URL: 'http://api.test/graphql',
      BWP_TOKEN_URL: 'http://api.test/token',
      BWP_CLIENT_ID: CLIENT_ID,
      BWP_CLIENT_SECRET: CLIENT_SECRET,
      BWP_TARGET_ID: TARGET_ID,
      BWP_ALLOWED_ORIGINS: 'https://shop.example',
    };
    const module = createWorker({
      options: {fetch: api.fetch, logger: audit.logger},
    });
    // Cloudflare's `cf` object marks a request that came through Cloudflare, whose CF-Connecting-IP is true.
    const request = () =>
      Object.defineProperty(
        new Request(
          'https://proxy.example/bwp/graphql',
          postInit(productOffers('a'), {'cf-connecting-ip': '198.51.100.23', origin: 'https://shop.example'}),
        ),
        'cf',
        {value: {colo: 'SEA'}},
      );
    const response = await module.fetch(request(), env, {});
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://shop.example');
    assert.deepEqual(api.graphqlCalls[0]!.variables.location, {ipAddress: '198.51.100.23'});
    await module.fetch(request(), env, {});
    assert.equal(api.tokenCalls, 1, 'the proxy is built once per isolate, not per request');
  });

  it('refuses to run as a Worker with no bindings and names the ones it needs, since a Worker carries no sandbox', async () => {
    await assert.rejects(
      worker.fetch(
        new Request('https://proxy.example/bwp/health', {headers: {'cf-connecting-ip': '198.51.100.23'}}),
        {},
      ),
      /BWP_API_URL is not set: .*BWP_TOKEN_URL, BWP_CLIENT_ID, BWP_CLIENT_SECRET, BWP_TARGET_ID/,
    );
  });

  it('shares one token between Worker isolates through a KV token store', async () => {
    const api = audit.watch(fakeApi());
    const kv = new Map<string, string>();
    const namespace: KvNamespace = {
      get: async (key) => kv.get(key) ?? null,
      put: async (key, value) => void kv.set(key, value),
    };
    const env = () => ({
      BWP_API_URL: 'http://api.test/graphql',
      BWP_TOKEN_URL: 'http://api.test/token',
      BWP_CLIENT_ID: CLIENT_ID,
      BWP_CLIENT_SECRET: CLIENT_SECRET,
      BWP_TARGET_ID: TARGET_ID,
    });
    const make = () =>
      createWorker({
        options: {fetch: api.fetch, logger: audit.logger},
        tokenStore: () => kvTokenStore(namespace),
      });
    const request = () => new Request('https://proxy.example/bwp/graphql', postInit(productOffers('a')));
    assert.equal((await make().fetch(request(), env())).status, 200);
    assert.equal((await make().fetch(request(), env())).status, 200);
    assert.equal(api.tokenCalls, 1);
    assert.equal(api.graphqlCalls.length, 2);
  });

  it('runs on AWS Lambda through hono/aws-lambda, with the client IP API Gateway saw', async () => {
    const api = audit.watch(fakeApi());
    const handler = createLambdaHandler(createProxy(options(api, audit.logger)));
    const event = lambdaEvent(JSON.stringify(productOffers('a')));
    const result = (await handler(event as never, {} as never)) as {statusCode: number; body: string};
    audit.record(result.body);
    assert.equal(result.statusCode, 200);
    assert.deepEqual(JSON.parse(result.body), {data: {offers: {edges: [], totalCount: 0}}});
    assert.deepEqual(api.graphqlCalls[0]!.variables.location, {ipAddress: '198.51.100.77'});
  });

  // The timeout only ends a run whose child never logs (the test's signal then stops the child, so the
  // waits below reject): the test waits for events, never for time.
  it(
    'npm run proxy serves the sandbox with no configuration and logs one JSON line per request',
    {timeout: 60_000},
    async (t) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/proxy/main.ts'], {
        env: {PATH: process.env.PATH, PORT: '0'},
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      t.signal.addEventListener('abort', () => child.kill());
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let err = '';
          child.stderr.on('data', (chunk) => {
            err += chunk;
            const match = err.match(/(http:\/\/127\.0\.0\.1:\d+)\/bwp\/graphql/);
            if (match) resolve(match[1]!);
          });
          child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
        });
        // The first complete line on stdout: the log of the request below.
        const logged = new Promise<string>((resolve, reject) => {
          let out = '';
          child.once('exit', (code) => reject(new Error(`exited ${code} before logging a line`)));
          child.stdout.on('data', (chunk) => {
            out += chunk;
            if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
          });
        });
        const response = await audit.fetch(`${url}/bwp/health`);
        assert.equal(response.status, 200);
        const line = await logged;
        audit.record(line);
        const entry = JSON.parse(line) as {path: string; status: number; requestId: string};
        assert.equal(entry.path, '/bwp/health');
        assert.equal(entry.status, 200);
      } finally {
        child.kill();
      }
    },
  );
});
