// The persisted GraphQL documents: the only ones the proxy forwards, by id. Shared by proxy and sandbox tests.
import * as ids from '../../src/api/protocol.ts';

/** A document the browser may ask for by id, with the variables the browser may set. */
export interface PersistedDocument {
  /** Stable id sent by the browser as `documentId`; a new version of a document gets a new id. */
  readonly id: string;
  readonly operationName: string;
  readonly query: string;
}

/** Line item fields of an offers document; checkout also asks when each delivery offer expires. */
const offerLineItemFields = ({expiry}: {expiry: boolean}) => /* GraphQL */ `
  product {
    productId { value }
    sku { value }
    title
    offerPrime
    price { amount currencyCode }
  }
  amount { unit value }
  deliveryOffer {
    summary {
      deliveryMessage { messageText locale badge }
      deliveryProvider
      deliveryTerms { isPrimeEligible deliverySpeed }
    }
    details {
      id
      deliveryPreviewId
      deliveryProvider
      date { earliest latest }
      policy { messaging { messageText locale badge } }
      deliveryTerms { isPrimeEligible deliverySpeed }
      price { totalPrice { amount currencyCode } }
      ${expiry ? 'expiresAt' : ''}
    }
  }
  reversalOffers {
    summary {
      title { value locale }
      description { value locale }
      resolutionTypes
    }
  }
`;

/** Product detail page and product cards: offers for products at the shopper's IP location. */
export const PRODUCT_OFFERS: PersistedDocument = {
  id: ids.PRODUCT_OFFERS,
  operationName: 'ProductOffers',
  query: /* GraphQL */ `
    query ProductOffers(
      $lineItems: [OfferLineItemInput!]!
      $location: DeliveryLocationInput!
      $shopperIdentity: IdentityTokenInput
    ) {
      offers(input: {lineItems: $lineItems, location: $location, shopperIdentity: $shopperIdentity}) {
        edges {
          node {
            id
            lineItems { ${offerLineItemFields({expiry: false})} }
          }
        }
        totalCount
      }
    }
  `,
};

/** Cart and checkout: offers for every line at the shipping address the shopper gave (browser: lineItems, shippingAddress). */
export const CHECKOUT_OFFERS: PersistedDocument = {
  id: ids.CHECKOUT_OFFERS,
  operationName: 'CheckoutOffers',
  query: /* GraphQL */ `
    query CheckoutOffers(
      $lineItems: [OfferLineItemInput!]!
      $shippingAddress: ShippingAddressInput!
      $shopperIdentity: IdentityTokenInput
    ) {
      offers(
        input: {lineItems: $lineItems, location: {shippingAddress: $shippingAddress}, shopperIdentity: $shopperIdentity}
      ) {
        edges {
          node {
            id
            expiresAt
            lineItems { ${offerLineItemFields({expiry: true})} }
          }
        }
        totalCount
      }
    }
  `,
};

/** Checkout: the delivery groups of the Prime lines, each with its delivery offers (browser: products, shippingAddress). */
export const DELIVERY_PREVIEW: PersistedDocument = {
  id: ids.DELIVERY_PREVIEW,
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
};

export const DOCUMENTS: ReadonlyMap<string, PersistedDocument> = new Map(
  [PRODUCT_OFFERS, CHECKOUT_OFFERS, DELIVERY_PREVIEW].map((document) => [document.id, document]),
);
