import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {serve, type ServerType} from '@hono/node-server';
import {Hono} from 'hono';
import type {AddressInfo} from 'node:net';
import type {Browser, Page} from 'playwright-core';
import {createDevApp} from '../../server/dev/app.ts';
import {createDemoOrders} from '../../server/dev/orders.ts';
import {DOCUMENTS, type PersistedDocument} from '../../server/operations/documents.ts';
import {proxyOptionsFromEnv} from '../../server/proxy/config.ts';
import {createProxy} from '../../server/proxy/proxy.ts';
import type {FetchHandler} from '../../server/sandbox/sandbox.ts';
import {launchChromium} from './browser.ts';

// Stand-ins used until server/operations carries the checkout documents; the ids and variables are the contract.
const STAND_INS: PersistedDocument[] = [
  {
    id: 'CheckoutOffers.v1',
    operationName: 'CheckoutOffers',
    query: /* GraphQL */ `
      query CheckoutOffers(
        $lineItems: [OfferLineItemInput!]!
        $shippingAddress: ShippingAddressInput!
        $shopperIdentity: IdentityTokenInput
      ) {
        offers(
          input: {
            lineItems: $lineItems
            location: {shippingAddress: $shippingAddress}
            shopperIdentity: $shopperIdentity
          }
        ) {
          edges {
            node {
              id
              expiresAt
              lineItems {
                product {
                  productId {
                    value
                  }
                  sku {
                    value
                  }
                  title
                  offerPrime
                  price {
                    amount
                    currencyCode
                  }
                }
                amount {
                  unit
                  value
                }
                deliveryOffer {
                  summary {
                    deliveryMessage {
                      messageText
                      locale
                      badge
                    }
                    deliveryProvider
                    deliveryTerms {
                      isPrimeEligible
                      deliverySpeed
                    }
                  }
                  details {
                    id
                    deliveryPreviewId
                    deliveryProvider
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
                    }
                    deliveryTerms {
                      isPrimeEligible
                      deliverySpeed
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
                      locale
                    }
                    description {
                      value
                      locale
                    }
                    resolutionTypes
                  }
                }
              }
            }
          }
        }
      }
    `,
  },
  {
    id: 'DeliveryPreview.v1',
    operationName: 'DeliveryPreview',
    query: /* GraphQL */ `
      query DeliveryPreview(
        $products: [DeliveryPreviewProductInput!]!
        $shippingAddress: ShippingAddressInput!
        $shopperIdentity: IdentityTokenInput
      ) {
        deliveryPreview(
          input: {
            products: $products
            location: {shippingAddress: $shippingAddress}
            shopperIdentity: $shopperIdentity
          }
        ) {
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
              }
              deliveryTerms {
                isPrimeEligible
                deliverySpeed
              }
              expiresAt
            }
          }
        }
      }
    `,
  },
];

type NodeBindings = {incoming: {socket: {remoteAddress?: string}}};

/** The demo stack (createDevApp) plus the demo merchant backend on /demo/orders, on 127.0.0.1:0. */
async function startCheckoutStack() {
  const dev = createDevApp();
  // The dev stack's own sandbox, through its /sandbox route: offers, previews and orders share one store.
  const sandbox: FetchHandler = async (request) => {
    const url = new URL(request.url);
    return dev.fetch(new Request(`http://dev.internal/sandbox${url.pathname}`, request));
  };
  const orders = createDemoOrders({sandbox});
  const needsStandIns = !DOCUMENTS.has('CheckoutOffers.v1') || !DOCUMENTS.has('DeliveryPreview.v1');
  const proxy = needsStandIns
    ? createProxy({
        ...proxyOptionsFromEnv({}, sandbox),
        documents: new Map([...STAND_INS.map((d) => [d.id, d] as const), ...DOCUMENTS]),
        rateLimiter: false,
      })
    : null;
  const app = new Hono<{Bindings: NodeBindings}>();
  app.all('/demo/orders', (c) => orders(c.req.raw));
  app.all('/demo/orders/*', (c) => orders(c.req.raw));
  if (proxy) app.all('/bwp/*', (c) => proxy(c.req.raw, {clientIp: c.env.incoming.socket.remoteAddress}));
  app.all('*', (c) => dev.fetch(c.req.raw, c.env));
  return new Promise<{url: string; close(): Promise<void>}>((resolve) => {
    const server: ServerType = serve(
      {fetch: app.fetch, port: 0, hostname: '127.0.0.1'},
      (info: AddressInfo) =>
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          close: () =>
            new Promise((done) => {
              (server as unknown as {closeAllConnections?: () => void}).closeAllConnections?.();
              server.close(() => done());
            }),
        }),
    );
  });
}

function watchProblems(page: Page) {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  return problems;
}

describe('demo checkout, end to end (built bundle → proxy → sandbox → demo merchant backend)', () => {
  let stack: Awaited<ReturnType<typeof startCheckoutStack>>;
  let browser: Browser;

  before(async () => {
    stack = await startCheckoutStack();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('places the order the shopper chose with the keyboard, and the sandbox order carries what was shown', async () => {
    const page = await browser.newPage();
    const problems = watchProblems(page);
    await page.goto(`${stack.url}/checkout.html`);
    const offers = page.locator('bwp-checkout-offers');

    await page.getByLabel('Prime member', {exact: true}).check();
    await page.getByLabel('Street address').fill('410 Terry Ave N');
    await page.getByLabel('ZIP code').fill('98109');
    await page.getByLabel('ZIP code').press('Enter');

    const options = offers.locator('[role="radiogroup"]').first().locator('input[type="radio"]');
    await options.nth(1).waitFor({timeout: 10_000});
    await page.waitForFunction(() => {
      const el = document.querySelector('bwp-checkout-offers') as (Element & {selection: unknown}) | null;
      const selection = el?.selection as {shippingAddress?: {streetAddress?: string}} | null;
      return selection?.shippingAddress?.streetAddress === '410 Terry Ave N';
    });
    assert.equal(await offers.getAttribute('state'), 'ready');
    const lines = offers.locator('[part="line-item"]');
    assert.equal(await lines.count(), 3);
    assert.equal(await lines.nth(0).locator('[part="badge"]').count(), 1);
    assert.equal(
      await lines.nth(1).locator('[part="badge"]').count(),
      0,
      'no Prime branding on the non-Prime book',
    );
    assert.equal(await options.nth(0).isChecked(), true, 'the first (Prime) offer is the default');

    // Keyboard only: Tab from the last address button into the delivery options, arrow to the next one.
    await page.getByRole('button', {name: 'Puerto Rico'}).focus();
    await page.keyboard.press('Tab');
    assert.equal(
      await options.nth(0).evaluate((input) => input === (input.getRootNode() as ShadowRoot).activeElement),
      true,
    );
    const changed = page.evaluate(
      () =>
        new Promise((resolve) =>
          document
            .querySelector('bwp-checkout-offers')!
            .addEventListener('bwp-change', (e) => resolve((e as CustomEvent).detail), {
              once: true,
            }),
        ),
    );
    await page.keyboard.press('ArrowDown');
    const selection = (await changed) as {
      offerId: string;
      shippingAddress: {streetAddress: string};
      lines: Array<{sku: string; deliveryOfferId: string | null; messageText: string | null}>;
    };
    assert.equal(await options.nth(1).isChecked(), true);
    const chosenLabel = (await options.nth(1).locator('xpath=..').innerText()).trim();
    const shown = await lines.locator('[part="delivery"]').allInnerTexts();
    assert.ok(chosenLabel.startsWith(shown[0]!), `${chosenLabel} is shown as the first line's promise`);
    assert.equal(selection.shippingAddress.streetAddress, '410 Terry Ave N');
    assert.equal(selection.lines[0]!.messageText, shown[0]);

    await page.getByRole('button', {name: 'Place order'}).click();
    const confirmation = page.locator('#confirmation');
    await confirmation.waitFor({state: 'visible', timeout: 10_000});
    const orderId = (await page.locator('#order-id').innerText()).trim();
    assert.match(orderId, /\S/);

    const read = await fetch(`${stack.url}/demo/orders/${encodeURIComponent(orderId)}`);
    const {order} = (await read.json()) as {
      order: {
        shippingAddress: {streetAddress: string};
        lines: Array<{
          sku: string;
          deliveryOfferId: string | null;
          messageText: string;
          isPrimeEligible: boolean;
        }>;
      };
    };
    assert.equal(order.shippingAddress.streetAddress, '410 Terry Ave N');
    assert.deepEqual(
      order.lines.map((l) => l.sku),
      ['example-sku-1', 'example-sku-2', 'TEE-NAVY-M'],
    );
    order.lines.forEach((line, i) => {
      assert.equal(line.messageText, shown[i], `line ${i}: the order keeps the promise that was shown`);
      if (selection.lines[i]!.deliveryOfferId)
        assert.equal(line.deliveryOfferId, selection.lines[i]!.deliveryOfferId);
    });
    assert.equal(order.lines[0]!.isPrimeEligible, true);
    assert.equal(order.lines[1]!.isPrimeEligible, false);
    assert.deepEqual(
      await page.locator('#order-lines .order-promise').allInnerTexts(),
      order.lines.map((l) => l.messageText),
    );
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('shows address errors at the top of the element in plain words, and the rest of the page keeps working', async () => {
    const page = await browser.newPage();
    const problems = watchProblems(page);
    await page.goto(`${stack.url}/checkout.html`);
    const offers = page.locator('bwp-checkout-offers');
    await offers.locator('[part="delivery"]').first().waitFor({timeout: 10_000});

    await page.getByRole('button', {name: 'An invalid address'}).click();
    const alert = offers.locator('[role="alert"]');
    await alert.filter({hasText: 'could not use this shipping address'}).waitFor({timeout: 10_000});
    assert.equal(await offers.getAttribute('state'), 'error');
    assert.equal(await page.getByRole('button', {name: 'Place order'}).isDisabled(), true);

    await page.getByRole('button', {name: 'Puerto Rico'}).click();
    await alert.filter({hasText: 'does not deliver to this address'}).waitFor({timeout: 10_000});

    await page.getByRole('button', {name: 'Seattle address'}).click();
    await offers.locator('[part="delivery"]').first().waitFor({timeout: 10_000});
    await page.waitForFunction(
      () => document.querySelector('bwp-checkout-offers')?.getAttribute('state') === 'ready',
    );
    assert.equal(await page.getByRole('button', {name: 'Place order'}).isDisabled(), false);
    // Filter the 4xx responses the proxy answers with the error codes: the browser logs those as console errors.
    assert.deepEqual(
      problems.filter((p) => !/status of 4\d\d/.test(p)),
      [],
    );
    await page.close();
  });
});
