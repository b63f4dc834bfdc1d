// The persisted GraphQL documents: the only ones the proxy forwards, by id. Shared by proxy and sandbox tests.

/** A document the browser may ask for by id, with the variables the browser may set. */
export interface PersistedDocument {
  /** Stable id sent by the browser as `documentId`; a new version of a document gets a new id. */
  readonly id: string;
  readonly operationName: string;
  readonly query: string;
}

const OFFER_LINE_ITEM_FIELDS = /* GraphQL */ `
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
  id: 'ProductOffers.v1',
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
            lineItems { ${OFFER_LINE_ITEM_FIELDS} }
          }
        }
        totalCount
      }
    }
  `,
};

export const DOCUMENTS: ReadonlyMap<string, PersistedDocument> = new Map([
  [PRODUCT_OFFERS.id, PRODUCT_OFFERS],
]);
