import {expect} from '@open-wc/testing';
import {ProxyClient, type ProxyClientOptions} from '../../src/api/client.js';
import type {Clock} from '../../src/api/clock.js';

export interface Call {
  body: unknown;
  headers: Headers;
  signal: AbortSignal | null | undefined;
  respond(body: unknown, status?: number): void;
  fail(): void;
}

/** A proxy that answers only when the test says so; records each HTTP request. */
export function fakeProxy(options: Partial<ProxyClientOptions> = {}) {
  const calls: Call[] = [];
  const taken = new WeakSet<Call>();
  const waiting: Array<(call: Call) => void> = [];
  const fetch: typeof globalThis.fetch = (_input, init) =>
    new Promise((resolve, reject) => {
      const call: Call = {
        body: JSON.parse(String(init?.body)),
        headers: new Headers(init?.headers),
        signal: init?.signal,
        respond: (body, status = 200) =>
          resolve(
            new Response(JSON.stringify(body), {status, headers: {'content-type': 'application/json'}}),
          ),
        fail: () => reject(new TypeError('Failed to fetch')),
      };
      init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
      calls.push(call);
      const waiter = waiting.shift();
      if (waiter) {
        taken.add(call);
        waiter(call);
      }
    });
  return {
    client: new ProxyClient({
      endpoint: 'https://shop.test/bwp/graphql',
      fetch,
      retryDelayMs: 1,
      random: () => 0.5,
      ...options,
    }),
    calls,
    /** The next HTTP request (already made, or the next one to be made). */
    next(): Promise<Call> {
      const made = calls.find((c) => !taken.has(c));
      if (made) {
        taken.add(made);
        return Promise.resolve(made);
      }
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}

/** A clock that moves only when the test says so. */
export function fakeClock(start = Date.UTC(2026, 10, 22, 9)) {
  let now = start;
  let ids = 0;
  const timers = new Map<number, {at: number; run: () => void}>();
  let scheduled: Array<() => void> = [];
  const clock = {
    now: () => now,
    setTimeout: (run: () => void, ms: number) => {
      timers.set(++ids, {at: now + Math.max(0, ms), run});
      const waiting = scheduled;
      scheduled = [];
      waiting.forEach((resolve) => resolve());
      return ids;
    },
    /** Resolves when the code under test next sets a timer (e.g. a retry delay): it is waiting on the clock. */
    nextTimer: () => new Promise<void>((resolve) => scheduled.push(resolve)),
    clearTimeout: (id: unknown) => void timers.delete(id as number),
    /** Moves time forward, running each timer that falls due, in order. */
    tick(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].run();
      }
      now = end;
    },
    get pending() {
      return timers.size;
    },
    /** How far ahead each pending timer is, in ms, soonest first. */
    get delays() {
      return [...timers.values()].map((timer) => timer.at - now).sort((a, b) => a - b);
    },
  } satisfies Clock & Record<string, unknown>;
  return clock;
}

export interface ReturnsSpec {
  title: string;
  description?: string;
  resolutionTypes: string[];
}

export interface LineSpec {
  sku: string;
  title?: string;
  /** Prime-eligible (default true): sets the badge, the terms, and the defaults of message, price and returns. */
  prime?: boolean;
  message?: string;
  badge?: string;
  locale?: string;
  price?: number;
  currency?: string;
  /** A title, the whole policy, or null for none (the default without Prime). */
  returns?: string | ReturnsSpec | null;
  id?: string | null;
  previewId?: string | null;
  expiresAt?: string;
  /** false: no delivery summary, so the details are the only place the promise is read from. */
  summary?: boolean;
}

/** An offers answer (ProductOffers.v1 and CheckoutOffers.v1 share it) in the API's checkout shape. */
export function offersResponse(lines: LineSpec[], offerId = 'offer-1') {
  return {
    data: {
      offers: {
        edges: [
          {
            node: {
              id: offerId,
              lineItems: lines.map((line, i) => {
                const prime = line.prime ?? true;
                const locale = line.locale ?? 'en-US';
                const messaging = {
                  messageText:
                    line.message ?? (prime ? 'Get it as soon as Tuesday, Nov 24' : 'Get it Dec 1 - Dec 3'),
                  locale,
                  badge: line.badge ?? (prime ? 'PRIME' : 'NONE'),
                };
                const terms = {isPrimeEligible: prime, deliverySpeed: prime ? null : 'Standard'};
                const returns =
                  typeof line.returns === 'string'
                    ? {title: line.returns, resolutionTypes: ['RETURN']}
                    : line.returns === undefined && prime
                      ? {title: 'Free 30-day returns', resolutionTypes: ['RETURN']}
                      : line.returns;
                return {
                  product: {
                    sku: {value: line.sku},
                    productId: {value: `id-${line.sku}`},
                    title: line.title ?? `Title ${line.sku}`,
                    offerPrime: prime,
                  },
                  amount: {unit: 'ONE', value: 1},
                  deliveryOffer: {
                    summary:
                      line.summary === false
                        ? null
                        : {deliveryMessage: messaging, deliveryProvider: 'AMAZON', deliveryTerms: terms},
                    details: {
                      id: line.id !== undefined ? line.id : prime ? `DO-${i}` : null,
                      deliveryPreviewId:
                        line.previewId !== undefined ? line.previewId : prime ? `DP-${i}` : null,
                      deliveryProvider: 'AMAZON',
                      ...(line.expiresAt ? {expiresAt: line.expiresAt} : {}),
                      policy: {messaging},
                      deliveryTerms: terms,
                      price: {
                        totalPrice: {
                          amount: line.price ?? (prime ? 0 : 5.99),
                          currencyCode: line.currency ?? 'USD',
                        },
                      },
                    },
                  },
                  reversalOffers: {
                    summary: returns
                      ? {
                          title: {value: returns.title, locale},
                          description: returns.description ? {value: returns.description, locale} : null,
                          resolutionTypes: returns.resolutionTypes,
                        }
                      : {title: null, resolutionTypes: []},
                  },
                };
              }),
            },
          },
        ],
        totalCount: 1,
      },
    },
  };
}

export interface OfferOptions {
  message?: string;
  badge?: string;
  locale?: string;
  returns?: ReturnsSpec | null;
  expiresAt?: string;
}

/** The offers answer for one product page line (SKU A1), its promise in the details only: Prime unless `badge` says otherwise. */
export function offerResponse({
  message = 'Get it as soon as Tuesday, Nov 24',
  badge = 'PRIME',
  locale = 'en-US',
  returns = {
    title: 'Free 30-day returns',
    description: 'This item is eligible for free 30-day returns through Buy with Prime',
    resolutionTypes: ['RETURN'],
  },
  expiresAt,
}: OfferOptions = {}) {
  return offersResponse([
    {sku: 'A1', prime: badge === 'PRIME', badge, message, locale, returns, expiresAt, summary: false},
  ]);
}

/** Resolves once the element reflects the state (now or later), then after its render. */
export async function whenState(el: HTMLElement & {updateComplete: Promise<unknown>}, state: string) {
  await new Promise<void>((resolve) => {
    if (el.getAttribute('state') === state) return resolve();
    const observer = new MutationObserver(() => {
      if (el.getAttribute('state') !== state) return;
      observer.disconnect();
      resolve();
    });
    observer.observe(el, {attributes: true, attributeFilter: ['state']});
  });
  await el.updateComplete;
}

/**
 * Proves a product element keeps the block size it had while loading when it turns ready, empty (a new SKU
 * without Prime) and error (a new SKU whose answers `fail` gives): a badge must not shift the page's layout.
 */
export async function expectSteadyBlockSize(
  el: HTMLElement & {sku: string; updateComplete: Promise<unknown>},
  proxy: ReturnType<typeof fakeProxy>,
  {minimum, fail}: {minimum: number; fail: () => Promise<void>},
) {
  const height = () => el.getBoundingClientRect().height;
  const loading = height();
  expect(loading).to.be.greaterThan(minimum);
  (await proxy.next()).respond(offerResponse());
  await whenState(el, 'ready');
  expect(height()).to.equal(loading);
  el.sku = 'A2';
  (await proxy.next()).respond(offerResponse({badge: 'NONE'}));
  await whenState(el, 'empty');
  expect(height()).to.equal(loading);
  el.sku = 'A3';
  await fail();
  await whenState(el, 'error');
  expect(height()).to.equal(loading);
}
