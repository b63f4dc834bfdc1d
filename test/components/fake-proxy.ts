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
  const clock = {
    now: () => now,
    setTimeout: (run: () => void, ms: number) => {
      timers.set(++ids, {at: now + Math.max(0, ms), run});
      return ids;
    },
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
  } satisfies Clock & Record<string, unknown>;
  return clock;
}

export interface OfferOptions {
  message?: string;
  badge?: string;
  locale?: string;
  returns?: {title: string; description?: string; resolutionTypes: string[]} | null;
  expiresAt?: string;
}

/** An offers response with one line item, in the API's checkout shape (details.policy.messaging). */
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
  return {
    data: {
      offers: {
        edges: [
          {
            node: {
              id: 'offer-1',
              lineItems: [
                {
                  deliveryOffer: {
                    summary: null,
                    details: {
                      ...(expiresAt ? {expiresAt} : {}),
                      deliveryTerms: {isPrimeEligible: badge === 'PRIME'},
                      policy: {messaging: {messageText: message, locale, badge}},
                    },
                  },
                  reversalOffers: {
                    summary: returns && {
                      title: {value: returns.title, locale},
                      description: returns.description ? {value: returns.description, locale} : null,
                      resolutionTypes: returns.resolutionTypes,
                    },
                  },
                },
              ],
            },
          },
        ],
        totalCount: 1,
      },
    },
  };
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
