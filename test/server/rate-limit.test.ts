// The in-memory limiter under many keys: bounded memory, and no way to buy an exhausted client a fresh bucket.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createRateLimiter} from '../../server/proxy/rate-limit.ts';

describe('in-memory rate limiter', () => {
  it('keeps an exhausted client refused after far more new clients than it remembers have come and gone', () => {
    let time = 0;
    const limiter = createRateLimiter({limit: 10, windowMs: 60_000, maxKeys: 100, now: () => time});
    assert.equal(limiter.take('abuser', 10).ok, true);
    assert.equal(limiter.take('abuser', 1).ok, false);
    for (let i = 0; i < 1_000; i++) {
      time += 1;
      limiter.take(`new-${i}`, 1);
    }
    assert.equal(limiter.take('abuser', 1).ok, false);
  });

  it('forgets full buckets first, then the fullest, and never remembers more clients than maxKeys', () => {
    let time = 0;
    const limiter = createRateLimiter({limit: 10, windowMs: 60_000, maxKeys: 100, now: () => time});
    for (let i = 0; i < 5_000; i++) {
      limiter.take(`client-${i}`, 1 + (i % 10));
      assert.ok(limiter.size <= 100, `${limiter.size} clients remembered`);
    }
    // Each of the last 100 spent something, and an emptier bucket outlives a fuller one.
    assert.equal(limiter.take('client-4999', 1).ok, false, 'spent all 10: still empty');
    time += 60_000;
    assert.equal(limiter.take('client-4999', 10).ok, true, 'a whole window later, full again');
  });

  it('refills at limit per window and says how long until a refused request would pass', () => {
    let time = 0;
    const limiter = createRateLimiter({limit: 60, windowMs: 60_000, now: () => time});
    assert.equal(limiter.take('a', 60).ok, true);
    assert.deepEqual(limiter.take('a', 5), {ok: false, retryAfterSeconds: 5});
    time += 5_000;
    assert.equal(limiter.take('a', 5).ok, true);
  });
});
