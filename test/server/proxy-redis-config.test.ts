// A bad BWP_REDIS_URL is one clear message naming the variable: a startup error when malformed, one log line (and
// per-instance state, still serving) when Redis cannot be reached or refuses the credential. Never a password.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {after, before, describe, it} from 'node:test';
import {parseRedisUrl, proxyOptionsFromEnv} from '../../server/proxy/config.ts';
import {createRedisState} from '../../server/proxy/redis.ts';
import {startRedis, type RedisServer} from './redis-server.ts';

/** `npm run proxy` with `env`, until it says it serves (or exits): its exit code and stderr lines. */
function runMain(env: Record<string, string>): Promise<{code: number | null; lines: string[]}> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/proxy/main.ts'], {
    env: {...process.env, PORT: '0', ...env},
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
      if (stderr.includes('Buy with Prime proxy:')) child.kill();
    });
    child.once('close', (code) => resolve({code, lines: stderr.trim().split('\n')}));
  });
}

describe('BWP_REDIS_URL', () => {
  it('refuses a malformed value at startup with a message naming the variable and not the password', () => {
    for (const value of ['localhost:6379', 'http://:pw-secret@cache:6379', 'redis://', 'redis://cache/db1'])
      assert.throws(
        () => proxyOptionsFromEnv({BWP_REDIS_URL: value}, fallback),
        (error: Error) => /^BWP_REDIS_URL: /.test(error.message) && !/pw-secret/.test(error.message),
        value,
      );
    assert.equal(parseRedisUrl('rediss://:pw@cache.example:6380/2').host, 'cache.example:6380');
    assert.equal(proxyOptionsFromEnv({}, fallback).redisUrl, undefined);
  });

  it('stops npm run proxy with one line and a configuration exit code when malformed', async () => {
    const {code, lines} = await runMain({BWP_REDIS_URL: 'cache:6379'});
    assert.equal(code, 78);
    assert.deepEqual(lines.length, 1);
    assert.match(lines[0]!, /^bwp-proxy: BWP_REDIS_URL: /);
  });

  it('starts npm run proxy on per-instance state with one line when Redis cannot be reached', async () => {
    const {lines} = await runMain({BWP_REDIS_URL: 'redis://:pw-secret@127.0.0.1:1'});
    const redisLines = lines.filter((line) => line.includes('BWP_REDIS_URL'));
    assert.equal(redisLines.length, 2, lines.join('\n'));
    assert.match(redisLines[0]!, /unreachable \(ECONNREFUSED\); rate limits are per instance/);
    assert.match(redisLines[1]!, /^Buy with Prime proxy: .*BWP_REDIS_URL \(not answering yet\)/);
    assert.doesNotMatch(lines.join('\n'), /pw-secret/);
  });

  describe('with a Redis that wants a password', () => {
    let redis: RedisServer;
    before(async () => {
      redis = await startRedis();
      redis.cli('config', 'set', 'requirepass', 'right-secret');
    });
    after(() => redis.stop());

    for (const [label, credential] of [
      ['missing', ''],
      ['wrong', ':wrong-secret@'],
    ] as const)
      it(`logs once that the credential is ${label}, and still limits in this instance`, async () => {
        const lines: string[] = [];
        const state = createRedisState({
          url: `redis://${credential}127.0.0.1:${redis.port}`,
          limit: 2,
          log: (line) => lines.push(line),
        });
        try {
          assert.equal(await state.ready(), false);
          const decisions = [];
          for (let i = 0; i < 3; i++) decisions.push((await state.rateLimiter.take('client', 1)).ok);
          assert.deepEqual(decisions, [true, true, false]);
          assert.equal(lines.length, 1);
          assert.match(lines[0]!, /^bwp-proxy: BWP_REDIS_URL: .*refused the credential/);
          assert.doesNotMatch(lines[0]!, /secret/);
        } finally {
          await state.close();
        }
      });

    it('shares state with the right credential', async () => {
      const state = createRedisState({url: `redis://:right-secret@127.0.0.1:${redis.port}`});
      try {
        assert.equal(await state.ready(), true);
        await state.rateLimiter.take('client', 1);
        assert.match(
          redis.cli('-a', 'right-secret', '--no-auth-warning', 'keys', 'bwp:rl:*'),
          /bwp:rl:client/,
        );
      } finally {
        await state.close();
      }
    });
  });
});

const fallback = () => ({
  apiUrl: 'http://api.test/graphql',
  tokenUrl: 'http://api.test/token',
  clientId: 'id',
  clientSecret: 'secret',
  targetId: 'target',
  fetch,
});
