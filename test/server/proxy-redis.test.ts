// Many proxy processes, one Redis: one token call for all, one budget per client, and a Redis outage that the
// shop does not notice (per-instance limits, the cached token) until Redis is back and the state is shared again.
import assert from 'node:assert/strict';
import {fork, type ChildProcess} from 'node:child_process';
import {request} from 'node:http';
import {after, before, describe, it} from 'node:test';
import {serveFetch, type NodeServer} from '../../server/proxy/node.ts';
import {startRedis, type RedisServer} from './redis-server.ts';
import {productOffers} from './proxy-fixtures.ts';

const LIMIT = 30;
const OK = {data: {offers: {edges: [], totalCount: 0}}};

interface Instance {
  process: ChildProcess;
  url: string;
  logs: string[];
  shared(): Promise<boolean>;
}

function startInstance(redisUrl: string, apiUrl: string): Promise<Instance> {
  const child = fork('test/server/fixtures/redis-proxy.ts', [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: {
      ...process.env,
      BWP_API_URL: `${apiUrl}/graphql`,
      BWP_TOKEN_URL: `${apiUrl}/token`,
      BWP_CLIENT_ID: 'client',
      BWP_CLIENT_SECRET: 'secret',
      BWP_TARGET_ID: 'target',
      // The test is every client: X-Forwarded-For from loopback names them.
      BWP_TRUSTED_PROXIES: 'loopback',
      BWP_REDIS_URL: redisUrl,
      TEST_RATE_LIMIT: String(LIMIT),
    },
  });
  const logs: string[] = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`proxy process exited with ${code}`)));
    child.on('message', (message: {url?: string; log?: string}) => {
      if (message.log) logs.push(message.log);
      if (message.url)
        resolve({
          process: child,
          url: message.url,
          logs,
          shared: () =>
            new Promise((done) => {
              const answer = (reply: {shared?: boolean}) => {
                if (reply.shared === undefined) return;
                child.off('message', answer);
                done(reply.shared);
              };
              child.on('message', answer);
              child.send('shared?');
            }),
        });
    });
  });
}

describe('three proxy processes sharing one Redis', () => {
  let redis: RedisServer;
  let api: NodeServer;
  let instances: Instance[] = [];
  let tokenCalls = 0;
  let client = 0;

  before(async () => {
    redis = await startRedis();
    api = await serveFetch(async (request) => {
      if (new URL(request.url).pathname === '/token') {
        tokenCalls++;
        return Response.json({access_token: `at-${tokenCalls}`, token_type: 'bearer', expires_in: 900});
      }
      await request.text();
      return Response.json(OK);
    });
    instances = await Promise.all([0, 1, 2].map(() => startInstance(redis.url, api.url)));
  });

  after(async () => {
    for (const instance of instances) instance.process.kill();
    await api?.close();
    await redis?.stop();
  });

  /**
   * One request from `ip` to instance `i % 3`: its status and body. A connection of its own: a pooled keep-alive
   * socket that the server closes (idle for 5 s) just as it is reused is reset, which says nothing of the proxy.
   */
  function post(i: number, ip: string, sku = `sku-${i % 7}`): Promise<{status: number; body: unknown}> {
    const body = JSON.stringify(productOffers(sku));
    return new Promise((resolve, reject) => {
      const sent = request(
        `${instances[i % 3]!.url}/bwp/graphql`,
        {
          method: 'POST',
          agent: false,
          headers: {'content-type': 'application/json', 'x-forwarded-for': ip},
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({status: response.statusCode!, body: JSON.parse(text)}));
        },
      );
      sent.on('error', (error: Error & {code?: string}) =>
        reject(new Error(`request ${i} to instance ${i % 3} failed: ${error.code ?? error.message}`)),
      );
      sent.end(body);
    });
  }

  const newClient = () => `10.${++client >> 8}.${client & 255}.1`;

  /**
   * `count` requests from one client, spread over the three instances at once; how many each accepted. Each asks
   * for its own product, so each costs one upstream call (identical calls in flight would share one, and one charge).
   */
  async function burst(count: number) {
    const ip = newClient();
    const answers = await Promise.all(Array.from({length: count}, (_, i) => post(i, ip, `${ip}-sku-${i}`)));
    assert.deepEqual(
      answers.filter((a) => a.status !== 200 && a.status !== 429),
      [],
      'only answers and refusals',
    );
    const accepted = [0, 0, 0];
    answers.forEach((answer, i) => {
      if (answer.status === 200) accepted[i % 3]!++;
    });
    return accepted;
  }

  it('makes exactly one token call for 600 concurrent requests spread over the three', async () => {
    const answers = await Promise.all(Array.from({length: 600}, (_, i) => post(i, newClient())));
    assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]));
    const odd = answers.filter((a) => JSON.stringify(a.body) !== JSON.stringify(OK));
    assert.deepEqual(odd.slice(0, 2), [], `${odd.length} odd answers, ${tokenCalls} token calls`);
    assert.equal(tokenCalls, 1);
  });

  it(`accepts between N and N + 3 of a client's requests across all three, not 3N (N = ${LIMIT})`, async () => {
    const accepted = await burst(3 * LIMIT);
    const total = accepted.reduce((a, b) => a + b);
    assert.ok(total >= LIMIT && total <= LIMIT + 3, `accepted ${total} (${accepted.join(' + ')})`);
  });

  it('answers every request without a 5xx when Redis is killed mid-run, then limits each instance alone', async () => {
    const tokenCallsBefore = tokenCalls;
    const running = Array.from({length: 300}, (_, i) => post(i, newClient()));
    // Killed while those are in flight: each is answered by the shared state or by the fallback.
    await redis.kill();
    const during = await Promise.all(running);
    assert.deepEqual(new Set(during.map((a) => a.status)), new Set([200]));
    const later = await Promise.all(Array.from({length: 300}, (_, i) => post(i, newClient())));
    assert.deepEqual(new Set(later.map((a) => a.status)), new Set([200]));

    // Per instance now: each accepts the whole budget, so three instances accept 3N.
    assert.deepEqual(await burst(3 * LIMIT + 30), [LIMIT, LIMIT, LIMIT]);
    assert.equal(tokenCalls, tokenCallsBefore, 'the token cached in each instance serves through the outage');
    for (const instance of instances)
      assert.equal(instance.logs.filter((line) => /BWP_REDIS_URL: .*per instance/.test(line)).length, 1);
  });

  it('shares the budget again once Redis is back', async () => {
    await redis.restart();
    // A bounded wait on a condition: each instance says when its connection is ready again.
    for (const instance of instances) {
      let shared = false;
      for (let attempt = 0; attempt < 400 && !shared; attempt++) {
        shared = await instance.shared();
        if (!shared) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      assert.ok(shared, 'reconnected to Redis');
    }
    const accepted = await burst(3 * LIMIT);
    const total = accepted.reduce((a, b) => a + b);
    assert.ok(total >= LIMIT && total <= LIMIT + 3, `accepted ${total} (${accepted.join(' + ')})`);
    assert.match(redis.cli('keys', 'bwp:rl:*'), /bwp:rl:/);
    for (const instance of instances) assert.ok(instance.logs.some((line) => /answers again/.test(line)));
  });
});
