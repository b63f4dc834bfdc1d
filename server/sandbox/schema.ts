// The sandbox's schema: the Buy with Prime API (2024-11-01) as documented in shared/reference/bwp-api.md.

export const typeDefs = /* GraphQL */ `
  "Accepts true/false and the documented string forms \\"true\\"/\\"false\\"."
  scalar LenientBoolean

  type Query {
    "Delivery and return offers for products at a location (product page, cart, checkout)."
    offers(input: OffersInput!): OfferConnection!
  }

  input OffersInput {
    lineItems: [OfferLineItemInput!]!
    location: DeliveryLocationInput
    shopperIdentity: IdentityTokenInput
  }

  input OfferLineItemInput {
    product: OfferProductInput!
    amount: AmountInput
    "Filter: isPrimeEligible true returns only a Prime delivery offer."
    deliveryTerms: DeliveryTermsInput
  }

  "The product: by productId (product page example) or by identifier (checkout examples)."
  input OfferProductInput {
    productId: ID
    identifier: ProductIdentifierInput
  }

  "Exactly one of the identifiers."
  input ProductIdentifierInput {
    sku: String
    productId: ID
    externalId: String
  }

  input AmountInput {
    unit: String
    value: Float!
  }

  input DeliveryTermsInput {
    isPrimeEligible: LenientBoolean
    deliverySpeed: String
  }

  input DeliveryLocationInput {
    ipAddress: String
    shippingAddress: ShippingAddressInput
  }

  input ShippingAddressInput {
    name: String
    streetAddress: String
    extendedAddress: String
    locality: String
    region: String
    postalCode: String
    countryCode: String
    phoneNumber: String
    contactNumber: String
  }

  input IdentityTokenInput {
    lwaAccessToken: LWAAccessTokenInput
    apayCheckoutSessionId: APayCheckoutSessionIdInput
  }

  input LWAAccessTokenInput {
    value: String!
    externalId: String
  }

  input APayCheckoutSessionIdInput {
    value: String!
    externalId: String!
  }

  type OfferConnection {
    edges: [OfferEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type OfferEdge {
    cursor: String!
    node: Offer!
  }

  type Offer {
    id: ID!
    lineItems: [OfferLineItem!]!
  }

  type OfferLineItem {
    id: ID!
    amount: Amount!
    product: PurchasedProductView!
    deliveryOffer: DeliveryOfferInfo
    reversalOffers: ReversalOfferInfo
  }

  type Amount {
    unit: String
    value: Float!
  }

  type Money {
    amount: Float!
    currencyCode: String!
  }

  type StringValue {
    value: String!
  }

  type AmazonSku {
    marketplaceId: String
    value: String!
  }

  type PurchasedProductView {
    productId: StringValue
    sku: StringValue
    externalId: StringValue
    amazonSku: AmazonSku
    title: String
    price: Money
    offerPrime: Boolean
    productDetailPageUrl: String
  }

  type DeliveryOfferInfo {
    summary: DeliveryOfferSummary
    "The product page example's name for summary."
    deliveryOfferSummary: DeliveryOfferSummary
    details: DeliveryOfferDetails
  }

  type DeliveryOfferSummary {
    deliveryMessage: DeliveryMessage
    deliveryProvider: String!
    deliveryTerms: DeliveryTerms
    deliveryCharge: Money
  }

  type DeliveryOfferDetails {
    id: ID
    deliveryPreviewId: ID
    deliveryProvider: String!
    date: DeliveryDateRange
    deliveryTerms: DeliveryTerms
    policy: DeliveryPolicy
    price: DeliveryPrice
  }

  type DeliveryTerms {
    isPrimeEligible: Boolean
    deliverySpeed: String
  }

  type DeliveryDateRange {
    earliest: String
    latest: String
  }

  type DeliveryPolicy {
    messaging: DeliveryMessage
  }

  type DeliveryMessage {
    messageText: String!
    locale: String!
    "PRIME: render the Prime badge; NONE: no badge."
    badge: String
  }

  type DeliveryPrice {
    totalPrice: Money!
    rollupPrices: [RollupPrice!]!
  }

  type RollupPrice {
    type: String
    value: Money
  }

  type ReversalOfferInfo {
    summary: ReversalItemOfferSummary
  }

  type LocalizedString {
    value: String!
    locale: String!
  }

  type ReversalItemOfferSummary {
    title: LocalizedString
    description: LocalizedString
    resolutionTypes: [String!]!
  }
`;
