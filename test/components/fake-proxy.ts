import {ProxyClient} from '../../src/api/client.js';

interface Call {
  body: unknown;
  headers: Headers;
  respond(body: unknown, status?: number): void;
  fail(): void;
}

/** A proxy that answers only when the test says so; records each HTTP request. */
export function fakeProxy() {
  const calls: Call[] = [];
  const waiting: Array<(call: Call) => void> = [];
  const fetch: typeof globalThis.fetch = (_input, init) =>
    new Promise((resolve, reject) => {
      const call: Call = {
        body: JSON.parse(String(init?.body)),
        headers: new Headers(init?.headers),
        respond: (body, status = 200) =>
          resolve(
            new Response(JSON.stringify(body), {status, headers: {'content-type': 'application/json'}}),
          ),
        fail: () => reject(new TypeError('Failed to fetch')),
      };
      calls.push(call);
      waiting.shift()?.(call);
    });
  return {
    client: new ProxyClient({endpoint: 'https://shop.test/bwp/graphql', fetch}),
    calls,
    /** The next HTTP request (already made, or the next one to be made). */
    next(): Promise<Call> {
      const made = calls.find((c) => !(c as {taken?: boolean}).taken);
      if (made) {
        (made as {taken?: boolean}).taken = true;
        return Promise.resolve(made);
      }
      return new Promise((resolve) =>
        waiting.push((call) => {
          (call as {taken?: boolean}).taken = true;
          resolve(call);
        }),
      );
    },
  };
}

/** An offers response with one line item, in the API's checkout shape. */
export function offerResponse({message = 'Get it as soon as Tuesday, Nov 24', badge = 'PRIME'} = {}) {
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
                    details: {policy: {messaging: {messageText: message, locale: 'en-US', badge}}},
                  },
                  reversalOffers: {
                    summary: {title: {value: 'Free 30-day returns'}, resolutionTypes: ['RETURN']},
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
