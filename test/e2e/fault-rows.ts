// The fault matrix's rows, shared by every engine: each fault, made on the server side (the sandbox, its HTTP
// answer, or the connection between page and proxy), and what each element must end in: its state, its
// bwp-error code, what it shows, and how many calls the fault costs upstream and from the page.
import type {ProxyOptions} from '../../server/proxy/proxy.ts';
import type {Fault} from '../../server/sandbox/faults.ts';
import type {ElementName, StackOptions} from './faults-stack.ts';

export type State = 'ready' | 'empty' | 'error';

/**
 * What an element shows once settled: `promise` (a delivery promise, "Get it …", in every delivery part),
 * `fallback` (the page's own light-DOM text, no promise), `nothing` (no promise, no fallback), or this
 * message to the shopper (the checkout's words for its error code).
 */
export type Shown = 'promise' | 'fallback' | 'nothing' | {message: string};

/** What an element ends in: its state, the code of its bwp-error, and what the shopper sees. */
export interface Outcome {
  state: State;
  code?: string;
  shows: Shown;
}

export interface Row {
  fault: string;
  /** A fault the sandbox makes (its latency, status, throttling, malformed body). */
  sandboxFault?: Fault;
  /** The upstream server's answer, rewritten or held by the test (the sandbox's answer is `forward`). */
  upstream?: StackOptions['upstream'];
  /** The proxy's options for this row, over PROXY. */
  proxy?: Partial<ProxyOptions>;
  /** A fault of the page's connection to the proxy: the server resets it, or nothing listens on its port. */
  connection?: 'reset' | 'refused';
  /** Expected outcome per element (the policy: an element shows data, nothing, or its fallback). */
  expect: Record<ElementName, Outcome>;
  /** Exact upstream GraphQL attempts per element request (the proxy's retry budget is 3). */
  graphql: number;
  /** HTTP requests the page makes to the proxy per element (1, plus the client's one retry). */
  requests: number;
}

// The proxy's deadline is 2 s here (default 3 s), so the timeout rows stay fast; jitter 0 makes retries instant.
export const PROXY: Partial<ProxyOptions> = {timeoutMs: 2000, random: () => 0};
export const MAX_ATTEMPTS = 3;

/** Timers that never fire: a row about a slow answer the deadline must not cut, whatever the machine's load. */
const NO_DEADLINE: ProxyOptions['timers'] = {now: () => 0, setTimeout: () => 0, clearTimeout: () => {}};

// The checkout's words for its error codes (src/components/checkout-offers/copy.ts), as the shopper reads them.
const UNAVAILABLE = 'Delivery options are unavailable right now. Please try again.';
const RATE_LIMITED = 'Too many requests right now. Delivery options will be back in a moment.';
const NOT_ELIGIBLE = 'This item is not available in this quantity for delivery to this address.';

const ready: Record<ElementName, Outcome> = {
  badge: {state: 'ready', shows: 'promise'},
  summary: {state: 'ready', shows: 'promise'},
  checkout: {state: 'ready', shows: 'promise'},
};
/** The product elements keep their fallback, the checkout says why it shows no options. */
const failed = (code: string, message: string): Record<ElementName, Outcome> => ({
  badge: {state: 'error', code, shows: 'fallback'},
  summary: {state: 'error', code, shows: 'fallback'},
  checkout: {state: 'error', code, shows: {message}},
});
const unavailable = failed('unavailable', UNAVAILABLE);

/**
 * Holds until the proxy hangs up on this upstream request (its deadline aborted the fetch), or until the
 * stack closes: a stall that no machine load can end early, so no row depends on timing.
 */
function hangUp(request: Request, closed: Promise<void>): Promise<void> {
  return Promise.race([
    closed,
    new Promise<void>((resolve) => {
      if (request.signal.aborted) resolve();
      request.signal.addEventListener('abort', () => resolve(), {once: true});
    }),
  ]);
}

const isGraphql = (request: Request) => new URL(request.url).pathname === '/graphql';

/**
 * The sandbox's answer, its body sent in 10 pieces: with `hold`, the first piece only, the rest held until the
 * proxy hangs up (a body stalled past the deadline); without, one piece every 30 ms (a slow body).
 */
const slowBody =
  (hold: boolean): StackOptions['upstream'] =>
  async (request, sandbox, {closed}) => {
    const response = await sandbox(request);
    if (!isGraphql(request)) return response;
    const bytes = new Uint8Array(await response.arrayBuffer());
    const size = Math.ceil(bytes.byteLength / 10);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent > 0 && hold) {
          await hangUp(request, closed);
          return controller.error(new Error('the proxy hung up'));
        }
        // No deadline runs in the row without `hold`: how long the pieces take changes nothing.
        if (sent > 0) await new Promise((resolve) => setTimeout(resolve, 30));
        if (sent >= bytes.byteLength) return controller.close();
        controller.enqueue(bytes.slice(sent, (sent += size)));
      },
    });
    return new Response(body, {status: response.status, headers: response.headers});
  };

/** No answer at all until the proxy hangs up (then a 504 nobody reads). */
const silent: StackOptions['upstream'] = async (request, sandbox, {closed}) => {
  if (!isGraphql(request)) return sandbox(request);
  await hangUp(request, closed);
  return new Response(null, {status: 504});
};

/** The upstream connection reset before any answer (a crashed or restarted API host). */
const reset: StackOptions['upstream'] = async (request, sandbox, upstream) => {
  if (!isGraphql(request)) return sandbox(request);
  upstream.reset();
  return new Response(null, {status: 502});
};

/** The sandbox's data, plus an error about the first line item (GraphQL partial success). */
const partialErrors: StackOptions['upstream'] = async (request, sandbox) => {
  const response = await sandbox(request);
  if (!isGraphql(request)) return response;
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
export const ROWS: readonly Row[] = [
  {fault: 'none (baseline)', expect: ready, graphql: 1, requests: 1},
  {
    fault: 'timeout (upstream holds its answer until the proxy hangs up)',
    upstream: silent,
    expect: unavailable,
    graphql: 1,
    requests: 1,
  },
  {
    fault: 'connection reset (the proxy connection, by the server)',
    connection: 'reset',
    expect: unavailable,
    graphql: 0,
    requests: 2,
  },
  {
    fault: 'ThrottlingError (HTTP 429)',
    sandboxFault: {throttle: true},
    expect: failed('rate_limited', RATE_LIMITED),
    // Throttling is never retried: a retry spends the quota that ran out.
    graphql: 1,
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
    fault: 'upstream connection reset (by the API host)',
    upstream: reset,
    expect: unavailable,
    graphql: MAX_ATTEMPTS,
    requests: 1,
  },
  {
    fault: 'data with partial errors',
    upstream: partialErrors,
    // Amazon's "not eligible" is an answer: the product elements show nothing Prime (empty, reason not_prime).
    expect: {
      badge: {state: 'empty', shows: 'nothing'},
      summary: {state: 'empty', shows: 'nothing'},
      checkout: {state: 'error', code: 'not_eligible', shows: {message: NOT_ELIGIBLE}},
    },
    graphql: 1,
    requests: 1,
  },
  {
    fault: 'slow body within the deadline (10 pieces, 30 ms apart)',
    upstream: slowBody(false),
    proxy: {timers: NO_DEADLINE},
    expect: ready,
    graphql: 1,
    requests: 1,
  },
  {
    fault: 'slow body past the deadline (the first piece, then held until the proxy hangs up)',
    upstream: slowBody(true),
    expect: unavailable,
    graphql: 1,
    requests: 1,
  },
  {
    fault: 'proxy down (connection refused: nothing listens on its port)',
    connection: 'refused',
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
