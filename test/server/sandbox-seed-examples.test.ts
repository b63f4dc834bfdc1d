import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {FRIDAY, lwa, sandboxClient, TOKENS} from './sandbox-client.ts';
import {seedExample} from './seed-examples.ts';

// The seed documents' examples (shared/seeds), run against the sandbox with their typos fixed. Their GraphQL
// is in fixtures/seed-examples/*.graphql. Fixes are marked "fixed:" (there, or here in the variables);
// placeholder identity tokens become the sandbox shopper tokens (the docs require them in a sandbox), and
// placeholder delivery preview ids become ones the sandbox issued.

const JOHN_DOE = {
  deliveryAddress: {
    name: 'John Doe',
    streetAddress: '440 Terry Ave N',
    locality: 'Seattle',
    region: 'WA',
    countryCode: 'US',
    postalCode: '98109',
    contactNumber: '206-555-0100',
  },
};
const JANE_DOE = {contact: {name: 'Jane Doe', email: 'jane_doe@example.com'}};
const APAY_PRIME = {apayCheckoutSessionId: {value: TOKENS.apayPrime, externalId: 'externalId1'}};

const PDP_OFFERS = seedExample('pdp-offers');
const checkoutOffers = ([firstSku, secondSku]: [string, string]) =>
  seedExample('checkout-offers', {lwaPrime: TOKENS.lwaPrime, firstSku, secondSku});
const CREATE_ORDER_FROM_OFFER = seedExample('create-order-from-offer');
const CREATE_ORDER_ID_ONLY = seedExample('create-order-id-only');
const ORDER_PROMISE = seedExample('order-promise');
const PREVIEW_IDS = seedExample('preview-ids');

/** Asks for a delivery preview and returns the ids the sandbox issued (first group, first offer) for an order. */
async function issuedIds(
  sandbox: ReturnType<typeof sandboxClient>,
  {
    products,
    shippingAddress,
    shopperIdentity,
  }: {products: unknown[]; shippingAddress: object; shopperIdentity: object},
) {
  const {deliveryPreview} = await sandbox.data(PREVIEW_IDS, {
    input: {products, location: {shippingAddress}, shopperIdentity},
  });
  return {
    deliveryPreviewId: deliveryPreview.id,
    deliveryOfferId: deliveryPreview.deliveryGroups[0].deliveryOffers[0].id,
  };
}

describe('seed examples, typos fixed, against the sandbox', () => {
  it('runs the product page offers example and returns its documented shape', async () => {
    const sandbox = sandboxClient();
    const data = await sandbox.data(PDP_OFFERS);
    const [edge] = data.offers.edges;
    assert.equal(typeof edge.node.id, 'string');
    assert.deepEqual(edge.node.lineItems, [
      {
        product: {
          productId: {value: 'example-product-id'},
          amazonSku: {marketplaceId: null, value: 'example-product-sku'},
        },
        deliveryOffer: {
          deliveryOfferSummary: {
            deliveryMessage: {messageText: 'Get it as soon as Tuesday, Nov 24', badge: 'PRIME'},
            deliveryProvider: 'AMAZON',
            deliveryTerms: {isPrimeEligible: true, deliverySpeed: 'Standard'},
          },
        },
        reversalOffers: {
          summary: {
            description: {
              value: 'This item is eligible for free 30-day returns through Buy with Prime',
              locale: 'en-US',
            },
            title: {value: 'Free 30-day returns', locale: 'en-US'},
            resolutionTypes: ['RETURN'],
          },
        },
      },
    ]);
  });

  it('runs the all-Prime checkout offers example: both lines share one Prime delivery offer', async () => {
    const sandbox = sandboxClient();
    // fixed: the example's SKUs example-product-sku-1/-2 are not those of its products; two Prime SKUs of the catalog.
    const data = await sandbox.data(checkoutOffers(['example-product-sku', 'example-sku-1']));
    assert.equal(data.offers.totalCount, 1);
    const [a, b] = data.offers.edges[0].node.lineItems;
    assert.deepEqual(a.product, {
      price: {amount: 1, currencyCode: 'USD'},
      productId: {value: 'example-product-id'},
      offerPrime: true,
      title: 'good',
      amazonSku: {marketplaceId: null, value: 'example-product-sku'},
    });
    for (const details of [a.deliveryOffer.details, b.deliveryOffer.details]) {
      assert.equal(details.deliveryProvider, 'AMAZON');
      assert.deepEqual(details.policy.messaging, {messageText: 'Get it Tuesday, Nov 24', badge: 'PRIME'});
      assert.equal(details.deliveryTerms.isPrimeEligible, true);
      assert.equal(details.date.latest, '2026-11-25T04:00:00.000Z');
    }
    assert.equal(a.deliveryOffer.details.id, b.deliveryOffer.details.id);
    assert.equal(a.deliveryOffer.details.deliveryPreviewId, b.deliveryOffer.details.deliveryPreviewId);
  });

  it('runs the mixed-cart checkout offers example: the non-Prime line has no ids, no badge, no returns', async () => {
    const sandbox = sandboxClient();
    // fixed: the second line named a product id as a sku ("example-product-id"); the seed's non-Prime book.
    const data = await sandbox.data(checkoutOffers(['example-product-sku', 'example-sku-2']));
    const other = data.offers.edges[0].node.lineItems[1];
    assert.deepEqual(other.deliveryOffer.details, {
      id: null,
      deliveryProvider: 'AMAZON',
      deliveryPreviewId: null,
      date: {latest: '2026-12-04T04:00:00.000Z'},
      policy: {messaging: {messageText: 'Get it Tuesday, Dec 1 – Thursday, Dec 3', badge: 'NONE'}},
      deliveryTerms: {isPrimeEligible: false, deliverySpeed: 'Standard'},
    });
    assert.deepEqual(other.reversalOffers, {summary: {resolutionTypes: []}});
  });

  it('runs the create-order-from-offer example with its whole selection, and the order keeps the promise', async () => {
    const sandbox = sandboxClient();
    const offers = await sandbox.data(checkoutOffers(['example-product-sku', 'example-sku-2']));
    const offer = offers.offers.edges[0].node;
    const data = await sandbox.data(CREATE_ORDER_FROM_OFFER, {
      input: {
        desiredExecutionState: 'STARTED',
        baseOfferId: offer.id,
        totalPrice: {value: {amount: 10, currencyCode: 'USD'}},
      },
    });
    const order = data.createOrderFromOffer.order;
    assert.match(order.id, /^ORDER-/);
    assert.deepEqual(order.customer, {bwpCustomerId: 'amzn1.account.SANDBOX-PRIME'});
    assert.deepEqual(order.metadata.executionState, 'STARTED');
    assert.equal(order.lineItems.length, 2);
    const [prime, other] = order.lineItems;
    assert.equal(prime.createdAt, FRIDAY.toISOString());
    assert.deepEqual(prime.product.sku, {value: 'example-product-sku'});
    assert.equal(prime.deliveryOffer.details.id, offer.lineItems[0].deliveryOffer.details.id);
    assert.deepEqual(prime.deliveryOffer.details.policy.messaging, {
      badge: 'PRIME',
      locale: 'en-US',
      messageText: 'Get it Tuesday, Nov 24',
    });
    assert.match(prime.deliveryOffer.details.recipient.id, /^RCP-/);
    assert.deepEqual(prime.deliveryOffer.details.deliveryOfferFor.orderLineItemAmounts[0].lineItem, {
      id: prime.id,
      amount: {unit: 'ONE', value: 1},
    });
    assert.equal(other.deliveryOffer.summary.deliveryCharge.amount, 5.99);
    assert.deepEqual(order.totalPrice.value, {currencyCode: 'USD', amount: 10});
    assert.equal(order.totalPrice.verified, false); // 1 + 8.99 + 5.99 delivery is not 10
    assert.deepEqual(order.refunds, {summary: null, details: []});
    assert.deepEqual(order.returns, {details: []});
    assert.deepEqual(order.orderLinks, []);
  });

  it('runs the minimum fulfillable createOrder example with the ids of an issued delivery preview', async () => {
    const sandbox = sandboxClient();
    const {deliveryPreviewId, deliveryOfferId} = await issuedIds(sandbox, {
      products: [{productIdentifier: {productId: 'example-product-id-1'}, amount: {value: 1}}],
      shippingAddress: JOHN_DOE.deliveryAddress,
      shopperIdentity: APAY_PRIME,
    });
    const data = await sandbox.data(CREATE_ORDER_ID_ONLY, {
      input: {
        desiredExecutionState: 'STARTED',
        customer: JANE_DOE,
        recipient: JOHN_DOE,
        lineItems: [
          {
            product: {
              identifier: {productId: 'example-product-id-1'},
              title: 'In Search of Lost Time',
              price: {amount: '10.00', currencyCode: 'USD'},
            },
            amount: {unit: 'UNIT', value: 1},
            selectedDeliveryOffer: {
              details: {
                deliveryPreviewId,
                id: deliveryOfferId,
                deliveryProvider: 'AMAZON',
                deliveryTerms: {isPrimeEligible: true},
              },
            },
          },
        ],
        orderTotal: {totalPrice: {amount: 10, currencyCode: 'USD'}},
        shopperIdentity: APAY_PRIME, // fixed: "externalId: missing its closing quote; "testToken" is not a sandbox token
      },
    });
    const {order} = await sandbox.data(ORDER_PROMISE, {id: data.createOrder.order.id});
    assert.equal(order.metadata.executionState, 'STARTED');
    assert.equal(order.recipient.deliveryAddress.streetAddress, '440 Terry Ave N');
    const [lineItem] = order.lineItems;
    assert.deepEqual(lineItem.amount, {unit: 'UNIT', value: 1});
    assert.equal(lineItem.deliveryOffer.details.deliveryPreviewId, deliveryPreviewId);
    assert.equal(lineItem.deliveryOffer.details.id, deliveryOfferId);
    assert.deepEqual(lineItem.deliveryOffer.details.policy.messaging, {
      messageText: 'Get it Tuesday, Nov 24',
      badge: 'PRIME',
    });
    assert.deepEqual(order.totalPrice.value, {amount: 10, currencyCode: 'USD'});
    assert.equal(order.totalPrice.verified, true);
  });

  it('runs the external order details example: aliases, order links, line item associations', async () => {
    const sandbox = sandboxClient();
    const data = await sandbox.data(CREATE_ORDER_ID_ONLY, {
      input: {
        aliases: [{aliasType: 'EXTERNAL_ID', aliasId: 'example-alias-id'}],
        orderLinks: [{destinationType: 'EXTERNAL_STOREFRONT', url: 'https://example.com/orders/1234'}],
        totalPrice: {amount: 10.2, currencyCode: 'USD'},
        shopperIdentity: APAY_PRIME,
        recipient: JOHN_DOE,
        lineItems: [
          {
            product: {identifier: {sku: 'example-sku-1'}},
            amount: {value: 1},
            aliases: [{aliasType: 'EXTERNAL_ID', aliasId: 'example-line-item-alias-id'}], // fixed: "aliases" had no colon
            selectedDeliveryOffer: {
              details: {
                deliveryProvider: 'AMAZON',
                deliveryTerms: {isPrimeEligible: true},
                lineItemAssociations: [
                  {lineItemId: {alias: {aliasType: 'EXTERNAL_ID', aliasId: 'example-line-item-alias-id'}}},
                ],
              },
            },
          },
        ],
      },
    });
    const byAlias = await sandbox.data(seedExample('order-by-alias'));
    assert.equal(byAlias.order.id, data.createOrder.order.id);
    assert.deepEqual(byAlias.order.orderLinks, [
      {destinationType: 'EXTERNAL_STOREFRONT', url: 'https://example.com/orders/1234'},
    ]);
    assert.match(byAlias.order.lineItems[0].deliveryOffer.details.deliveryPreviewId, /^DP-/); // generated from the terms
  });

  it('runs the Prime + merchant-delivered example (purchasedProduct, summary form, discounts, payments)', async () => {
    const sandbox = sandboxClient();
    const selected = await issuedIds(sandbox, {
      products: [{productIdentifier: {productId: 'example-product-id-1'}}],
      shippingAddress: JOHN_DOE.deliveryAddress,
      shopperIdentity: APAY_PRIME,
    });
    const variation = [{dimension: 'format', value: 'Hardcover'}];
    const data = await sandbox.data(CREATE_ORDER_ID_ONLY, {
      input: {
        desiredExecutionState: 'STARTED',
        customer: JANE_DOE,
        recipient: JOHN_DOE,
        lineItems: [
          {
            product: {
              identifier: {productId: 'example-product-id-1'},
              title: 'In Search of Lost Time',
              price: {amount: '10.00', currencyCode: 'USD'},
              variationSelections: variation,
            },
            amount: {value: 1},
            selectedDeliveryOffer: {
              details: {
                deliveryPreviewId: selected.deliveryPreviewId,
                id: selected.deliveryOfferId,
                deliveryProvider: 'AMAZON',
                deliveryTerms: {isPrimeEligible: true},
              },
            },
            taxes: {summary: {collectableTaxAmount: {amount: '1.00', currencyCode: 'USD'}}},
          },
          {
            purchasedProduct: {
              productId: 'example-product-id-2',
              title: 'Pride and Prejudice',
              price: {amount: '8.99', currencyCode: 'USD'},
              variationSelections: [{dimension: 'format', value: 'Paperback'}],
            },
            amount: {value: 1},
            selectedDeliveryOffer: {
              summary: {
                deliveryProvider: 'MERCHANT',
                deliveryCharge: {amount: '3.00', currencyCode: 'USD'},
                deliveryMessage: {messageText: 'Standard Delivery! Ships in 3-5 business days'},
              },
            },
          },
        ],
        // fixed: a stray "]," after discounts; the discount amount as Money; "currecyCode".
        discounts: {
          summary: {amount: {amount: '5.00', currencyCode: 'USD'}, displayString: 'FIRSTORDER (coupon code)'},
        },
        totalPrice: {amount: 10, currencyCode: 'USD'},
        shopperIdentity: APAY_PRIME,
        payments: {
          summary: {
            amount: {amount: '10.20', currencyCode: 'USD'},
            paymentMethodDisplayString: 'CREDIT_CARD',
            state: 'CAPTURED',
          },
        },
      },
    });
    const {order} = await sandbox.data(ORDER_PROMISE, {id: data.createOrder.order.id});
    const merchant = order.lineItems[1];
    assert.deepEqual(merchant.deliveryOffer.summary, {
      deliveryProvider: 'MERCHANT',
      deliveryMessage: {messageText: 'Standard Delivery! Ships in 3-5 business days'},
      deliveryCharge: {amount: 3},
    });
    assert.equal(merchant.deliveryOffer.details, null);
    assert.deepEqual(
      order.totalPrice.rollupCharges.map((c: any) => [c.rollupChargeType, c.value.amount]),
      [
        ['ORDER_SUB_TOTAL', 18.99],
        ['ORDER_SHIPPING', 3],
        ['ORDER_TAX', 1],
        ['DISCOUNT', 5],
      ],
    );
  });

  it('runs the Amazon-but-not-Prime line example with its Standard speed and charge', async () => {
    const sandbox = sandboxClient();
    const data = await sandbox.data(CREATE_ORDER_ID_ONLY, {
      input: {
        desiredExecutionState: 'STARTED',
        customer: JANE_DOE,
        recipient: JOHN_DOE,
        lineItems: [
          {
            // fixed: the Pride and Prejudice line named In Search of Lost Time's product id.
            product: {
              identifier: {productId: 'example-product-id-2'},
              title: 'Pride and Prejudice',
              price: {amount: '8.99', currencyCode: 'USD'},
            },
            amount: {value: 1},
            // fixed: a missing comma after deliveryTerms.
            selectedDeliveryOffer: {
              details: {
                deliveryProvider: 'AMAZON',
                deliveryTerms: {isPrimeEligible: false, deliverySpeed: 'Standard'},
                deliveryCharge: {amount: '3.00', currencyCode: 'USD'},
              },
            },
          },
        ],
        totalPrice: {amount: 10, currencyCode: 'USD'},
        shopperIdentity: APAY_PRIME,
      },
    });
    const {order} = await sandbox.data(ORDER_PROMISE, {id: data.createOrder.order.id});
    const {details} = order.lineItems[0].deliveryOffer;
    assert.deepEqual(details.deliveryTerms, {isPrimeEligible: false, deliverySpeed: 'Standard'});
    assert.equal(details.id, null);
    assert.equal(details.policy.messaging.badge, 'NONE');
    assert.equal(details.policy.messaging.messageText, 'Get it Tuesday, Dec 1 – Thursday, Dec 3');
  });

  it('runs both bundle examples (inline literals, enum values, purchaseGroupMembership)', async () => {
    const sandbox = sandboxClient();
    const boren = {
      name: 'John Smith',
      streetAddress: '399 Boren Ave N',
      locality: 'Seattle',
      region: 'WA',
      countryCode: 'US',
      postalCode: '98109',
    };
    const issued = {
      ...(await issuedIds(sandbox, {
        products: [
          {productIdentifier: {productId: 'example-component-product-1-id'}},
          {productIdentifier: {productId: 'example-component-product-2-id'}, amount: {value: 2}},
        ],
        shippingAddress: boren,
        shopperIdentity: APAY_PRIME,
      })),
      apayPrime: TOKENS.apayPrime,
    };
    const first = await sandbox.data(seedExample('bundle-with-prices', issued));
    assert.deepEqual(first.createOrder.order.lineItems[1], {
      amount: {unit: 'ONE', value: 2},
      createdAt: FRIDAY.toISOString(),
      product: {
        title: 'example-component-product-2-title',
        price: {currencyCode: 'USD', amount: 5},
        purchaseGroupMembership: {
          product: {sku: {value: 'BUNDLE-PRODUCT-TEST'}, price: {currencyCode: 'USD', amount: 20.79}},
          memberAmount: {value: 2},
        },
      },
    });
    assert.deepEqual(first.createOrder.order.orderLinks, [
      {destinationType: 'EXTERNAL_ORDER_MANAGEMENT', url: 'https://mystore123.com/orders/512968435'},
    ]);
    const second = await sandbox.data(seedExample('bundle-without-prices', issued));
    assert.deepEqual(
      second.createOrder.order.lineItems.map((l: any) => l.product.purchaseGroupMembership.product.sku.value),
      ['BUNDLE-PRODUCT-TEST', 'BUNDLE-PRODUCT-TEST'],
    );
  });

  it('runs the "use a delivery offer" example (flat productId, currentPrice, no terms)', async () => {
    const sandbox = sandboxClient();
    const {deliveryPreviewId, deliveryOfferId} = await issuedIds(sandbox, {
      products: [{productIdentifier: {sku: 'example-sku-1'}}],
      shippingAddress: JOHN_DOE.deliveryAddress,
      shopperIdentity: lwa(TOKENS.lwaPrime),
    });
    const data = await sandbox.data(CREATE_ORDER_ID_ONLY, {
      input: {
        desiredExecutionState: 'STARTED',
        customer: JANE_DOE,
        recipient: JOHN_DOE,
        lineItems: [
          {
            product: {
              productId: 'example-product-id-1',
              title: 'In Search of Lost Time',
              price: {currentPrice: {amount: '10.00', currencyCode: 'USD'}},
            },
            amount: {unit: 'UNIT', value: 1},
            // fixed: a missing comma between id and deliveryProvider.
            selectedDeliveryOffer: {
              details: {
                deliveryPreviewId,
                id: deliveryOfferId,
                deliveryProvider: 'AMAZON',
              },
            },
          },
        ],
        shopperIdentity: APAY_PRIME,
      },
    });
    const {order} = await sandbox.data(ORDER_PROMISE, {id: data.createOrder.order.id});
    assert.deepEqual(order.lineItems[0].product.price, {amount: 10});
    assert.equal(order.lineItems[0].deliveryOffer.details.deliveryTerms.isPrimeEligible, true);
  });

  it('runs the reference deliveryPreview query shape (2024-11-01 input, inline fragment on the identifier)', async () => {
    const sandbox = sandboxClient();
    const data = await sandbox.data(seedExample('reference-delivery-preview'));
    const [group] = data.deliveryPreview.deliveryGroups;
    assert.deepEqual(group.products[0].productIdentifier, {
      __typename: 'SkuProductIdentifier',
      value: 'TEE-NAVY-M',
    });
    assert.deepEqual(group.deliveryOffers[0].policy, {
      messaging: {messageText: 'Get it as soon as Tuesday, Nov 24', locale: 'en-US', badge: 'PRIME'},
      productMessaging: [],
    });
    assert.deepEqual(group.deliveryOffers[0].price, {
      totalPrice: {currencyCode: 'USD', amount: 0},
      rollupPrices: [],
    });
    assert.equal(group.deliveryOffers[0].expiresAt, null);
  });

  it('runs the shopperBwPEligibility reference example with its "extensions": {} envelope', async () => {
    const sandbox = sandboxClient();
    const {body} = await sandbox.graphql(seedExample('shopper-eligibility', {lwaPrime: TOKENS.lwaPrime}));
    assert.deepEqual(body, {
      data: {
        shopperBwPEligibility: {shopperId: 'amzn1.account.SANDBOX-PRIME', bwpEligibilityStatus: 'PRIME'},
      },
      extensions: {},
    });
  });
});
