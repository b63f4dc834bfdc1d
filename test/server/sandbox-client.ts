// Sandbox test helper: calls a sandbox handler like a merchant's server would (token, then GraphQL).
import assert from 'node:assert/strict';
import {createSandbox, type FetchHandler, type SandboxOptions} from '../../server/sandbox/sandbox.ts';
import {SANDBOX_SHOPPER_TOKENS} from '../../server/sandbox/shoppers.ts';
import {sandboxInputType} from '../../server/sandbox/schema.ts';

export {SANDBOX_SHOPPER_TOKENS as TOKENS};

/** Friday 20 Nov 2026, 15:00 UTC (10 am in the Kentucky warehouse: before the 2 pm cut-off). */
export const FRIDAY = new Date('2026-11-20T15:00:00Z');

export const SEATTLE = {
  name: 'John Doe',
  streetAddress: '410 Terry Avenue N',
  locality: 'Seattle',
  region: 'WA',
  countryCode: 'US',
  postalCode: '98109',
};

export interface GraphqlReply {
  status: number;
  body: {data?: any; errors?: any[]; extensions?: unknown};
}

export interface SandboxClient {
  handler: FetchHandler;
  /** A fresh access token for the default sandbox credentials. */
  token(): Promise<string>;
  /** POST /graphql with a valid token and target id (plus `headers`). */
  graphql(query: string, variables?: unknown, headers?: Record<string, string>): Promise<GraphqlReply>;
  /** Like graphql, and fails the test on any error. */
  data(query: string, variables?: unknown): Promise<any>;
  /** The first error's classification, failing the test if there is none. */
  classification(
    query: string,
    variables?: unknown,
  ): Promise<{type: string; errorType: string; errorCode: number}>;
}

/** A sandbox on a movable clock (`clock.now`), called in process. */
export function sandboxClient(options: SandboxOptions = {}, start = FRIDAY) {
  const clock = {now: start};
  const handler = createSandbox({now: () => clock.now, ...options});
  const request = (path: string, init: RequestInit) =>
    handler(new Request(`http://sandbox.test${path}`, init));
  let cached: {token: string; at: Date} | undefined;

  const client: SandboxClient & {clock: typeof clock} = {
    clock,
    handler,
    async token() {
      const response = await request('/token', {
        method: 'POST',
        headers: {'content-type': 'application/x-www-form-urlencoded'},
        body: 'grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret',
      });
      assert.equal(response.status, 200);
      return ((await response.json()) as {access_token: string}).access_token;
    },
    async graphql(query, variables = {}, headers = {}) {
      // Tokens expire on the sandbox clock: a test that moves the clock gets a fresh one.
      if (cached?.at !== clock.now) cached = {token: await client.token(), at: clock.now};
      const response = await request('/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${cached.token}`,
          'x-api-target-id': 'sandbox-target',
          ...headers,
        },
        body: JSON.stringify({query, variables}),
      });
      return {status: response.status, body: (await response.json()) as GraphqlReply['body']};
    },
    async data(query, variables) {
      const {status, body} = await client.graphql(query, variables);
      assert.equal(status, 200);
      assert.deepEqual(body.errors, undefined, JSON.stringify(body.errors));
      return body.data;
    },
    async classification(query, variables) {
      const {body} = await client.graphql(query, variables);
      assert.ok(body.errors?.length, `expected an error, got ${JSON.stringify(body.data)}`);
      return body.errors![0].extensions.classification;
    },
  };
  return client;
}

export const OFFERS = /* GraphQL */ `
  query Offers($input: ${sandboxInputType('OffersInput')}!) {
    offers(input: $input) {
      edges {
        node {
          id
          expiresAt
          lineItems {
            product {
              sku {
                value
              }
              offerPrime
            }
            amount {
              value
            }
            deliveryOffer {
              summary {
                deliveryMessage {
                  messageText
                  badge
                }
                deliveryCharge {
                  amount
                }
              }
              details {
                id
                deliveryPreviewId
                date {
                  earliest
                  latest
                }
                deliveryTerms {
                  isPrimeEligible
                  deliverySpeed
                }
                policy {
                  messaging {
                    messageText
                    locale
                    badge
                  }
                }
                price {
                  totalPrice {
                    amount
                    currencyCode
                  }
                }
                expiresAt
              }
            }
            reversalOffers {
              summary {
                title {
                  value
                }
                resolutionTypes
              }
            }
          }
        }
      }
      totalCount
    }
  }
`;

export const PREVIEW = /* GraphQL */ `
  query Preview($input: DeliveryPreviewInput!) {
    deliveryPreview(input: $input) {
      id
      deliveryGroups {
        id
        products {
          productIdentifier {
            __typename
            value
          }
          amount {
            unit
            value
          }
        }
        deliveryOffers {
          id
          price {
            totalPrice {
              amount
              currencyCode
            }
            rollupPrices {
              type
              value {
                amount
              }
            }
          }
          date {
            earliest
            latest
          }
          policy {
            messaging {
              messageText
              locale
              badge
            }
            productMessaging {
              message {
                messageText
              }
            }
          }
          terms {
            isPrimeEligible
            deliverySpeed
          }
          expiresAt
        }
      }
    }
  }
`;

export const line = (sku: string, value = 1) => ({
  product: {identifier: {sku}},
  amount: {unit: 'ONE', value},
});
export const lwa = (value: string) => ({lwaAccessToken: {value}});
