// Load and soak (npm run test:long): the proxy at a steady rate against the sandbox over real HTTP, with 1% of
// upstream calls faulted, then an upstream outage. Duration: BWP_SOAK_SECONDS (default 60).
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {after, before, describe, it} from 'node:test';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {createProxy} from '../../server/proxy/proxy.ts';
import {createRateLimiter} from '../../server/proxy/rate-limit.ts';
import {createCircuitBreaker} from '../../server/proxy/upstream.ts';
import {SANDBOX_DEFAULTS} from '../../server/sandbox/sandbox.ts';
import {listen, type Served} from '../server/helpers.ts';

const SECONDS = Number(process.env.BWP_SOAK_SECONDS) || 60;
const RATE = 100; // requests per second, open model: sent on schedule whether or not earlier ones answered
const TOKEN_TTL_S = 10;
const FAULT_RATE = 0.01;
const OPEN_MS = 2000;
/** Heap growth allowed between the warm start and the end, both after a full GC. */
const HEAP_BOUND_BYTES = 8 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** mulberry32: the faults are seeded, so a run is reproducible. */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAULTS = ['status=500', 'throttle', 'malformed', 'drop', 'latency=1500'];
const SKUS = ['example-sku-1', 'example-sku-2', 'BOOK-MOBY-DICK', 'BOOK-WAR-AND-PEACE', 'TEE-NAVY-S'];

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/** The sandbox in its own process (its stores of issued offers are not the proxy's memory). */
function startSandbox(): Promise<{url: string; child: ChildProcess}> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/sandbox/main.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      BWP_SANDBOX_TOKEN_TTL: String(TOKEN_TTL_S),
      BWP_SANDBOX_FAULT_HEADERS: '1',
    },
    // Its stderr only says which connections it dropped on purpose.
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /http:\/\/127\.0\.0\.1:(\d+)\/graphql/.exec(chunk.toString());
      if (match) resolve({url: `http://127.0.0.1:${match[1]}`, child});
    });
  });
}

describe(`soak: ${RATE} requests/s for ${SECONDS} s with ${FAULT_RATE * 100}% upstream faults, then an outage`, () => {
  let sandbox: {url: string; child: ChildProcess};
  let proxy: Served;
  const random = seeded(20261122);
  const upstream = {graphql: 0, token: 0, faulted: 0, throttled: 0, outage: false};
  const breaker = createCircuitBreaker({minimumCalls: 5, windowMs: 2000, openMs: OPEN_MS});

  before(async () => {
    sandbox = await startSandbox();
    proxy = await listen(
      createProxy({
        apiUrl: `${sandbox.url}/graphql`,
        tokenUrl: `${sandbox.url}/token`,
        ...SANDBOX_DEFAULTS,
        timeoutMs: 1000,
        breaker,
        rateLimiter: createRateLimiter({limit: 1_000_000}),
        // The upstream fetch: 1% of GraphQL calls carry a sandbox fault; during an outage, every one is a 503.
        fetch: (input, init) => {
          const request = new Request(input, init);
          if (new URL(request.url).pathname === '/token') {
            upstream.token++;
            return fetch(request);
          }
          upstream.graphql++;
          const fault = upstream.outage
            ? 'status=503'
            : random() < FAULT_RATE
              ? FAULTS[Math.floor(random() * FAULTS.length)]!
              : undefined;
          if (fault && !upstream.outage) upstream.faulted++;
          if (fault === 'throttle') upstream.throttled++;
          if (fault) request.headers.set('x-sandbox-fault', fault);
          return fetch(request);
        },
      }),
    );
  });
  after(async () => {
    await proxy?.close();
    sandbox?.child.kill();
  });

  /** One shopper request: its status, its error codes, its latency. */
  async function shop(index: number) {
    const started = performance.now();
    const body = {
      documentId: 'ProductOffers.v1',
      variables: {
        lineItems: [
          {product: {identifier: {sku: SKUS[index % SKUS.length]}}, amount: {value: 1 + (index % 3)}},
        ],
      },
    };
    try {
      const response = await fetch(`${proxy.url}/bwp/graphql`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify(body),
      });
      const json = (await response.json()) as {errors?: Array<{extensions: {code: string; reason?: string}}>};
      return {
        status: response.status,
        codes: (json.errors ?? []).map((e) => `${e.extensions.code}/${e.extensions.reason ?? ''}`),
        ms: performance.now() - started,
      };
    } catch (error) {
      return {status: 0, codes: [`client:${(error as Error).message}`], ms: performance.now() - started};
    }
  }

  /** Sends `count` requests at RATE per second on a fixed schedule and waits for every answer. */
  async function steady(count: number, onTick?: (index: number) => void) {
    const answers: Array<Promise<Awaited<ReturnType<typeof shop>>>> = [];
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      onTick?.(i);
      answers.push(shop(i));
    }
    return Promise.all(answers);
  }

  it('answers every request, explains every error by an injected fault, keeps its heap flat and its token calls few', async () => {
    await steady(RATE * 2); // warm-up: JIT, sockets, first token
    gc();
    const heapStart = process.memoryUsage().heapUsed;
    const counts = {
      graphql: upstream.graphql,
      token: upstream.token,
      faulted: upstream.faulted,
      throttled: upstream.throttled,
    };
    const started = performance.now();
    const results = await steady(RATE * SECONDS);
    const elapsed = (performance.now() - started) / 1000;
    gc();
    const heapEnd = process.memoryUsage().heapUsed;

    const faulted = upstream.faulted - counts.faulted;
    const throttled = upstream.throttled - counts.throttled;
    const tokenCalls = upstream.token - counts.token;
    const errors = results.filter((r) => r.codes.length > 0);
    // A throttled call pauses the whole instance for the API's Retry-After (1 s from the sandbox): every
    // request in that second, or in flight then (1 s deadline), is answered rate_limited without a call.
    const paused = errors.filter((r) => r.codes.every((c) => c === 'rate_limited/rate_limited'));
    const unexpected = results.filter(
      (r) => r.status !== 200 || r.codes.some((c) => !/^(unavailable|rate_limited)\//.test(c)),
    );
    const latencies = results.map((r) => r.ms);
    // With a 10 s token, the proxy refreshes ahead of expiry: a new token each (ttl − margin), never per request.
    const expectedTokens = elapsed / (TOKEN_TTL_S * 0.75);
    console.log(
      [
        `soak: ${results.length} requests in ${elapsed.toFixed(1)} s (${(results.length / elapsed).toFixed(1)}/s)`,
        `  upstream GraphQL calls ${upstream.graphql - counts.graphql}, faulted ${faulted} (throttled ${throttled}), answers with an error ${errors.length} (${paused.length} during a throttling pause), unexpected ${unexpected.length}`,
        `  latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(0)} ms`,
        `  heap after GC: start ${(heapStart / 1e6).toFixed(1)} MB, end ${(heapEnd / 1e6).toFixed(1)} MB (bound +${HEAP_BOUND_BYTES / 1e6} MB)`,
        `  token calls ${tokenCalls} over ${elapsed.toFixed(0)} s with a ${TOKEN_TTL_S} s token (≈ ${expectedTokens.toFixed(1)} expected)`,
      ].join('\n'),
    );
    assert.deepEqual(unexpected.slice(0, 5), [], 'unexpected answers');
    assert.ok(errors.length - paused.length <= faulted, `${errors.length} errors for ${faulted} faults`);
    assert.ok(paused.length <= throttled * 2 * RATE, `${paused.length} paused for ${throttled} throttles`);
    assert.ok(faulted > 0, 'no fault was injected');
    assert.ok(heapEnd - heapStart < HEAP_BOUND_BYTES, `heap grew by ${heapEnd - heapStart} bytes`);
    assert.ok(tokenCalls >= Math.floor(elapsed / TOKEN_TTL_S), `${tokenCalls} token calls`);
    assert.ok(tokenCalls <= Math.ceil(expectedTokens) + 1, `${tokenCalls} token calls`);
  });

  it('opens the circuit in an outage (fast failures), and closes it by itself when the upstream returns', async () => {
    const outageMs = 3 * OPEN_MS;
    const timeline: Array<{at: number; ms: number; codes: string[]}> = [];
    let outageStart = 0;
    let outageEnd = 0;
    const started = performance.now();
    const total = Math.round((RATE * (outageMs + 3 * OPEN_MS + 2000)) / 1000);
    const graphqlBefore = upstream.graphql;
    let graphqlAtOpen = 0;
    const answers = await steady(total, (i) => {
      const at = (i * 1000) / RATE;
      if (!upstream.outage && outageStart === 0 && at >= 1000) {
        upstream.outage = true;
        outageStart = performance.now();
      }
      if (upstream.outage && performance.now() - outageStart >= outageMs) {
        upstream.outage = false;
        outageEnd = performance.now();
      }
      if (breaker.state === 'open' && graphqlAtOpen === 0) graphqlAtOpen = upstream.graphql;
    });
    answers.forEach((a, i) => timeline.push({at: (i * 1000) / RATE, ms: a.ms, codes: a.codes}));
    const sentAt = (i: number) => started + (i * 1000) / RATE;
    const firstOpen = answers.findIndex((a) => a.codes.some((c) => c.endsWith('/circuit_open')));
    const shortCircuited = answers.filter((a) => a.codes.some((c) => c.endsWith('/circuit_open')));
    const recovered = answers.findIndex((a, i) => sentAt(i) >= outageEnd && a.codes.length === 0);
    const fast = shortCircuited.map((a) => a.ms);
    console.log(
      [
        `outage: ${outageMs} ms of HTTP 503, breaker opens at 50% of 5+ calls in 2 s, open ${OPEN_MS} ms`,
        `  circuit open after ${(sentAt(firstOpen) - outageStart).toFixed(0)} ms; ${shortCircuited.length} short-circuited answers, p50 ${percentile(fast, 50).toFixed(1)} ms, p99 ${percentile(fast, 99).toFixed(1)} ms`,
        `  upstream GraphQL calls during the outage and after: ${upstream.graphql - graphqlBefore}`,
        `  recovered ${(sentAt(recovered) - outageEnd).toFixed(0)} ms after the upstream returned`,
      ].join('\n'),
    );
    assert.ok(firstOpen > 0, 'the circuit never opened');
    assert.ok(sentAt(firstOpen) - outageStart < 2000, 'the circuit took too long to open');
    assert.ok(percentile(fast, 99) < 50, `short-circuited p99 ${percentile(fast, 99)} ms`);
    assert.ok(recovered > 0, 'the proxy never recovered');
    assert.ok(sentAt(recovered) - outageEnd <= OPEN_MS + 1500, 'recovery took longer than one open period');
    assert.equal(breaker.state, 'closed');
    assert.ok(answers.every((a) => a.status === 200));
  });
});
