// Fault matrix in real Chromium: every fault × every element, on a merchant page that must not notice.
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import type {Browser} from 'playwright-core';
import type {ProxyOptions} from '../../server/proxy/proxy.ts';
import type {Fault} from '../../server/sandbox/faults.ts';
import {launchChromium} from './browser.ts';
import {
  settled,
  startStack,
  TAGS,
  watchPage,
  type ElementName,
  type Stack,
  type StackOptions,
} from './faults-stack.ts';

type State = 'ready' | 'empty' | 'error';
/** What an element ends in, and the code of its bwp-error. */
type Outcome = {state: State; code?: string};

interface Row {
  fault: string;
  /** Upstream faults are made by the sandbox (or its HTTP answer); network faults by Chromium. */
  upstream?: StackOptions['upstream'];
  sandboxFault?: Fault;
  /** The proxy's options for this row, over PROXY. */
  proxy?: Partial<ProxyOptions>;
  network?: 'connectionreset' | 'connectionrefused';
  /** Expected outcome per element (the policy: an element shows data, nothing, or its fallback). */
  expect: Record<ElementName, Outcome>;
  /** Exact upstream GraphQL attempts per element request (the proxy's retry budget is 3). */
  graphql: number;
  /** The count may also be 0: the proxy makes no call while an earlier throttling's Retry-After runs. */
  pausable?: boolean;
  /** HTTP requests the page makes to the proxy per element (1, plus the client's one retry). */
  requests: number;
}

// The proxy's deadline is 2 s here (default 3 s), so the timeout rows stay fast; jitter 0 makes retries instant.
// A past-the-deadline row holds on a busy machine: its upstream's answer or last chunk is due later than the
// deadline on the same process's timers, which fire in order.
const PROXY = {timeoutMs: 2000, random: () => 0};
const MAX_ATTEMPTS = 3;

/** Timers that never fire: a row about a slow answer the deadline must not cut, whatever the machine's load. */
const NO_DEADLINE: ProxyOptions['timers'] = {now: () => 0, setTimeout: () => 0, clearTimeout: () => {}};

const all = (outcome: Outcome): Record<ElementName, Outcome> => ({
  badge: outcome,
  summary: outcome,
  checkout: outcome,
});
const unavailable = all({state: 'error', code: 'unavailable'});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The sandbox's answer, its body sent in 10 pieces over `ms` (a slow or stalled upstream body). */
const slowBody =
  (ms: number): StackOptions['upstream'] =>
  async (request, sandbox) => {
    const response = await sandbox(request);
    if (new URL(request.url).pathname !== '/graphql') return response;
    const bytes = new Uint8Array(await response.arrayBuffer());
    const size = Math.ceil(bytes.byteLength / 10);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await sleep(ms / 10);
        if (sent >= bytes.byteLength) return controller.close();
        controller.enqueue(bytes.slice(sent, (sent += size)));
      },
    });
    return new Response(body, {status: response.status, headers: response.headers});
  };

/** The sandbox's data, plus an error about the first line item (GraphQL partial success). */
const partialErrors: StackOptions['upstream'] = async (request, sandbox) => {
  const response = await sandbox(request);
  if (new URL(request.url).pathname !== '/graphql') return response;
  const body = (await response.json()) as {data?: unknown; errors?: unknown[]};
  const path = ['offers', 'edges', 0, 'node', 'lineItems', 0, 'deliveryOffer'];
  const error = {
    message: 'Item is not eligible',
    path,
    extensions: {classification: {type: 'ValidationError', errorType: 'ItemNotEligible', errorCode: 400}},
  };
  return Response.json({...body, errors: [...(body.errors ?? []), error]});
};

/**
 * The matrix. Policy: every element shows its data (ready), nothing (empty: Amazon answered no, e.g. not
 * Prime) or its fallback (error), and never anything broken; a partial answer is never shown half-known.
 */
const ROWS: Row[] = [
  {fault: 'none (baseline)', expect: all({state: 'ready'}), graphql: 1, requests: 1},
  {
    fault: 'timeout (upstream answers after 4 s)',
    sandboxFault: {latencyMs: 4000},
    expect: unavailable,
    graphql: 1,
    requests: 1,
  },
  {
    fault: 'connection reset (proxy connection)',
    network: 'connectionreset',
    expect: unavailable,
    graphql: 0,
    requests: 2,
  },
  {
    fault: 'ThrottlingError (HTTP 429)',
    sandboxFault: {throttle: true},
    expect: all({state: 'error', code: 'rate_limited'}),
    // Throttling is never retried: a retry spends the quota that ran out.
    graphql: 1,
    pausable: true,
    requests: 1,
  },
  {fault: 'HTTP 500', sandboxFault: {status: 500}, expect: unavailable, graphql: MAX_ATTEMPTS, requests: 1},
  {
    fault: 'malformed JSON',
    sandboxFault: {malformed: true},
    expect: unavailable,
    graphql: MAX_ATTEMPTS,
    requests: 1,
  },
  {
    fault: 'data with partial errors',
    upstream: partialErrors,
    // Amazon's "not eligible" is an answer: the product elements show nothing Prime (empty, reason not_prime).
    expect: {
      badge: {state: 'empty'},
      summary: {state: 'empty'},
      checkout: {state: 'error', code: 'not_eligible'},
    },
    graphql: 1,
    requests: 1,
  },
  {
    fault: 'slow body within the deadline (0.3 s)',
    upstream: slowBody(300),
    proxy: {timers: NO_DEADLINE},
    expect: all({state: 'ready'}),
    graphql: 1,
    requests: 1,
  },
  {
    fault: 'slow body past the deadline (4 s)',
    upstream: slowBody(4000),
    expect: unavailable,
    graphql: 1,
    requests: 1,
  },
  {
    fault: 'proxy down (connection refused)',
    network: 'connectionrefused',
    expect: unavailable,
    graphql: 0,
    requests: 2,
  },
  {
    fault: 'token endpoint down (HTTP 503)',
    sandboxFault: {status: 503, on: 'token'},
    expect: unavailable,
    graphql: 0,
    requests: 1,
  },
];

/**
 * Console errors a page may show: only Chromium's own network log line for a request to the proxy that the
 * network layer failed ("Failed to load resource: net::ERR_…"), in the rows that fail the network on purpose.
 * Chromium writes that line for every failed fetch (and for HTTP 4xx/5xx answers), whatever the script does
 * with the failure; it is not an error of the page. Nothing else is allowed, in any row.
 */
function unexpectedConsole(row: Row, messages: Array<{text: string; url: string}>, proxyUrl: string) {
  const allowed = row.network === 'connectionreset' ? 'ERR_CONNECTION_RESET' : 'ERR_CONNECTION_REFUSED';
  return messages.filter(
    (m) => !(row.network && m.text === `Failed to load resource: net::${allowed}` && m.url === proxyUrl),
  );
}

// Rows run side by side (each has its own stack and counters); the cells of a row run one after another.
describe(
  'fault matrix: every fault × every element, in Chromium, on a page that must not notice',
  {concurrency: 2},
  () => {
    let browser: Browser;
    const figures: string[] = [];

    before(async () => {
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
      console.log(
        `fault matrix (element: state code, upstream GraphQL calls, proxy requests, ms)\n${figures.join('\n')}`,
      );
    });

    for (const row of ROWS) {
      describe(row.fault, {concurrency: 1}, () => {
        let stack: Stack;
        before(async () => {
          stack = await startStack({
            proxy: {...PROXY, ...row.proxy},
            sandbox: row.sandboxFault ? {faults: row.sandboxFault} : {},
            upstream: row.upstream,
          });
        });
        after(() => stack.close());

        for (const name of ['badge', 'summary', 'checkout'] as const) {
          const expected = row.expect[name];
          it(`<${TAGS[name]}> ends ${expected.state}${expected.code ? ` (${expected.code})` : ''}, with no page error and ${row.graphql} upstream call(s)`, async () => {
            const page = await browser.newPage();
            try {
              const watch = await watchPage(page);
              const proxyUrl = `${stack.url}/bwp/graphql`;
              let requests = 0;
              page.on('request', (request) => {
                if (request.url() === proxyUrl && request.method() === 'POST') requests++;
              });
              if (row.network) await page.route(proxyUrl, (route) => route.abort(row.network));
              stack.reset();
              const started = Date.now();
              await page.goto(stack.page([name]));
              await settled(page, [TAGS[name]]).catch(async (error: unknown) => {
                const dump = await page.evaluate(() => ({
                  html: document.body.innerHTML.slice(0, 500),
                  bwp: (window as unknown as {__bwp: unknown}).__bwp,
                }));
                throw new Error(
                  `did not settle: ${JSON.stringify({dump, counts: stack.counts, requests, watch})}`,
                  {cause: error},
                );
              });
              const ms = Date.now() - started;

              const tag = TAGS[name];
              const state = await page.getAttribute(tag, 'state');
              const seen = await page.evaluate(
                () =>
                  (
                    window as unknown as {
                      __bwp: {events: Array<{type: string; code?: string}>; errors: string[]};
                    }
                  ).__bwp,
              );
              figures.push(
                `  ${row.fault} × ${name}: ${state} ${seen.events[0]?.code ?? ''}, ${stack.counts.graphql} GraphQL + ${stack.counts.token} token, ${requests} request(s), ${ms} ms`,
              );
              assert.equal(state, expected.state);
              // How long it took is a figure, not an assertion: settled() bounds the wait, and the deadline that
              // ends a hung upstream is tested on a manual clock (test/server/proxy-upstream.test.ts).
              assert.deepEqual(
                seen.events.map((e) => e.type),
                expected.state === 'ready' ? ['bwp-load'] : expected.state === 'error' ? ['bwp-error'] : [],
              );
              if (expected.code) assert.equal(seen.events[0]?.code, expected.code);
              // The host page is intact and nothing was thrown into it.
              assert.deepEqual(watch.uncaught, []);
              assert.deepEqual(seen.errors, []);
              if (watch.consoleErrors.length)
                figures.push(`    console: ${watch.consoleErrors.map((m) => m.text).join(' | ')}`);
              assert.deepEqual(unexpectedConsole(row, watch.consoleErrors, proxyUrl), []);
              assert.equal(await page.textContent('#after'), 'Add to cart');
              // The retry budget: exactly the expected attempts, never more than 3 per element request.
              if (!(row.pausable && stack.counts.graphql === 0))
                assert.equal(stack.counts.graphql, row.graphql, 'upstream GraphQL calls');
              assert.ok(stack.counts.graphql <= MAX_ATTEMPTS);
              assert.ok(stack.counts.token <= 1, `${stack.counts.token} token calls`);
              assert.equal(requests, row.requests, 'requests from the page to the proxy');
            } finally {
              await page.close();
            }
          });
        }
      });
    }
  },
);
