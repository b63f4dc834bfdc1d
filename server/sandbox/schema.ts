// The sandbox's schema: the Buy with Prime API (2024-11-01) as documented in shared/reference/bwp-api.md and the seeds.
import {buildSchema, type GraphQLScalarType, type GraphQLSchema} from 'graphql';
import {Decimal, LenientBoolean} from './scalars.ts';

/**
 * Input types whose names Amazon's documentation never gives (its offers examples write the whole input
 * inline; docs/api-names.md lists the names it does give). The real API may call them anything.
 */
export const UNDOCUMENTED_INPUT_TYPES = [
  'OffersInput',
  'OfferLineItemInput',
  'OfferProductInput',
  'ProductIdentifierInput',
  'AmazonSkuInput',
  'ShippingAddressInput',
  'LWAAccessTokenInput',
  'APayCheckoutSessionIdInput',
  'DeliveryPreviewProductInput',
  'CustomerContactInput',
  'EmailDataInput',
  'RecipientInput',
  'TotalPriceInput',
  'OrderTotalInput',
  'PriceInput',
  'VariationSelectionInput',
  'PurchaseGroupMembershipInput',
  'DeliveryMessageInput',
  'LineItemAssociationInput',
  'LineItemIdInput',
  'TaxesInput',
  'TaxSummaryInput',
  'DiscountSummaryInput',
  'PaymentsInput',
  'PaymentSummaryInput',
] as const;

// New in every process, so no client can name these types: a document that relies on a guessed name
// fails against the sandbox, as it could in production.
const SUFFIX = Array.from(crypto.getRandomValues(new Uint8Array(6)), (byte) =>
  byte.toString(16).padStart(2, '0'),
).join('');

/**
 * The sandbox's name for an undocumented input type, for the sandbox's own tests and IDE only.
 * @example
 * const query = `query ($input: ${sandboxInputType('OffersInput')}!) { offers(input: $input) { totalCount } }`;
 */
export function sandboxInputType(name: (typeof UNDOCUMENTED_INPUT_TYPES)[number]): string {
  return `Undocumented_${name}_${SUFFIX}`;
}

const hiddenNames = new RegExp(`\\b(${UNDOCUMENTED_INPUT_TYPES.join('|')})\\b`, 'g');

const documentedTypeDefs = /* GraphQL */ `
  "Accepts true/false and the documented string forms \\"true\\"/\\"false\\"."
  scalar LenientBoolean

  "A money amount: a number or a decimal string (the docs use 10, 10.79 and \\"10.00\\")."
  scalar Decimal

  type Query {
    "Delivery and return offers for products at a location (product page, cart, checkout); mixed carts allowed."
    offers(input: OffersInput!): OfferConnection
    "Delivery offers, grouped by shipment, for products that offer Buy with Prime."
    deliveryPreview(input: DeliveryPreviewInput!): DeliveryPreview
    "Whether the shopper behind an identity token is a Prime member."
    shopperBwPEligibility(identityToken: IdentityTokenInput!): ShopperBwPEligibility
    "An order created by createOrder or createOrderFromOffer, by id or by one of its aliases."
    order(id: ID, orderIdentifier: OrderIdentifierInput): Order
  }

  type Mutation {
    "Turns an offer into an order; its delivery promise and return policy stop refreshing."
    createOrderFromOffer(input: CreateOrderFromOfferInput!): CreateOrderFromOfferResponse
    "Creates an order from line items (Prime lines carry a delivery preview's ids)."
    createOrder(input: CreateOrderInput): CreateOrderResponse
  }

  # ---- shared inputs

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

  "Exactly one identifier. SKU is the upper-case spelling of the delivery preview guides."
  input ProductIdentifierInput {
    sku: String
    SKU: String
    productId: ID
    externalId: String
    amazonSku: AmazonSkuInput
  }

  input AmazonSkuInput {
    marketplaceId: String
    value: String!
  }

  input AmountInput {
    "ONE (offers) or UNIT (createOrder); optional."
    unit: String
    value: Float!
  }

  input DeliveryTermsInput {
    isPrimeEligible: LenientBoolean
    "Standard or Expedited (any case)."
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
    externalId: String @deprecated(reason: "Use lwaAccessToken or apayCheckoutSessionId.")
    idPToken: String @deprecated(reason: "Use lwaAccessToken or apayCheckoutSessionId.")
    idPTokenType: String @deprecated(reason: "Use lwaAccessToken or apayCheckoutSessionId.")
    identityProvider: IdentityProvider @deprecated(reason: "Use lwaAccessToken or apayCheckoutSessionId.")
  }

  enum IdentityProvider {
    APAY
    LWA
  }

  input LWAAccessTokenInput {
    value: String!
    externalId: String
  }

  input APayCheckoutSessionIdInput {
    value: String!
    externalId: String!
  }

  input DeliveryPreviewInput {
    products: [DeliveryPreviewProductInput!]!
    location: DeliveryLocationInput
    shopperIdentity: IdentityTokenInput
    "Filter the delivery offers: isPrimeEligible, deliverySpeed."
    terms: DeliveryTermsInput
  }

  input DeliveryPreviewProductInput {
    productIdentifier: ProductIdentifierInput!
    amount: AmountInput
  }

  input OrderIdentifierInput {
    id: ID
    alias: AliasInput
  }

  # ---- order inputs

  enum OrderExecutionStateInput {
    STARTED
    NOT_STARTED
  }

  enum DeliveryProviderInput {
    AMAZON
    MERCHANT
  }

  enum OrderLinkDestinationType {
    EXTERNAL_ORDER_MANAGEMENT
    EXTERNAL_ORDER_TRACKING
    "Used by the create-order guide's external order details example."
    EXTERNAL_STOREFRONT
    BWP_STOREFRONT
    AMAZON_STOREFRONT
  }

  input CreateOrderInput {
    desiredExecutionState: OrderExecutionStateInput
    customer: CustomerInput
    recipient: RecipientInput
    lineItems: [LineItemInput!]!
    aliases: [AliasInput!]
    orderLinks: [OrderLinkInput!]
    "{amount, currencyCode} or {value: {amount, currencyCode}}: the docs show both."
    totalPrice: TotalPriceInput
    orderTotal: OrderTotalInput
    shopperIdentity: IdentityTokenInput
    discounts: DiscountAllocationInput
    taxes: TaxesInput
    payments: PaymentsInput
  }

  input CreateOrderFromOfferInput {
    baseOfferId: ID!
    desiredExecutionState: OrderExecutionStateInput
    additionalLineItems: [LineItemInput!]
    aliases: [AliasInput!]
    customer: CustomerInput
    recipient: RecipientInput
    discounts: DiscountAllocationInput
    orderLinks: [OrderLinkInput!]
    totalPrice: TotalPriceInput
    shopperIdentity: IdentityTokenInput
    payments: PaymentsInput
  }

  input CustomerInput {
    contact: CustomerContactInput
  }

  input CustomerContactInput {
    name: String
    email: String
    phoneNumber: String
    emailData: EmailDataInput
  }

  input EmailDataInput {
    name: String
    email: String
  }

  input RecipientInput {
    deliveryAddress: ShippingAddressInput
  }

  input AliasInput {
    aliasType: String!
    aliasId: String!
  }

  input OrderLinkInput {
    destinationType: OrderLinkDestinationType!
    url: String!
    displayMessage: String
  }

  input MoneyInput {
    amount: Decimal!
    currencyCode: String!
  }

  input TotalPriceInput {
    value: MoneyInput
    amount: Decimal
    currencyCode: String
  }

  input OrderTotalInput {
    totalPrice: MoneyInput
  }

  input LineItemInput {
    product: PurchasedProductViewInput
    "The name one create-order example uses for product."
    purchasedProduct: PurchasedProductViewInput
    amount: AmountInput!
    aliases: [AliasInput!]
    selectedDeliveryOffer: DeliveryOfferInput!
    taxes: TaxesInput
    discounts: DiscountAllocationInput
    payments: PaymentsInput
    clientDetails: ClientDetailsInput
  }

  input PurchasedProductViewInput {
    identifier: ProductIdentifierInput
    productId: ID
    title: String
    price: PriceInput
    productDetailPageUrl: String
    variationSelections: [VariationSelectionInput!]
    purchaseGroupMembership: PurchaseGroupMembershipInput
  }

  "{amount, currencyCode} or {currentPrice: {amount, currencyCode}}: the docs show both."
  input PriceInput {
    amount: Decimal
    currencyCode: String
    currentPrice: MoneyInput
  }

  input VariationSelectionInput {
    dimension: String
    value: String
  }

  input PurchaseGroupMembershipInput {
    product: PurchasedProductViewInput!
    memberAmount: AmountInput
  }

  "Either summary or details, never both."
  input DeliveryOfferInput {
    summary: DeliveryOfferSummaryInput
    details: DeliveryOfferDetailsInput
  }

  input DeliveryOfferSummaryInput {
    deliveryProvider: DeliveryProviderInput!
    deliveryCharge: MoneyInput
    deliveryMessage: DeliveryMessageInput
    taxes: TaxesInput
    discounts: DiscountAllocationInput
  }

  input DeliveryMessageInput {
    messageText: String!
    locale: String
    badge: String
  }

  input DeliveryOfferDetailsInput {
    "The delivery offer id from a delivery preview (required for Prime delivery)."
    id: ID
    deliveryPreviewId: ID
    deliveryProvider: DeliveryProviderInput!
    deliveryTerms: DeliveryTermsInput
    deliveryCharge: MoneyInput
    lineItemAssociations: [LineItemAssociationInput!]
    taxes: TaxesInput
    discounts: DiscountAllocationInput
  }

  input LineItemAssociationInput {
    lineItemId: LineItemIdInput!
  }

  input LineItemIdInput {
    id: ID
    alias: AliasInput
  }

  input TaxesInput {
    summary: TaxSummaryInput
  }

  input TaxSummaryInput {
    collectableTaxAmount: MoneyInput
  }

  input DiscountAllocationInput {
    summary: DiscountSummaryInput
  }

  input DiscountSummaryInput {
    amount: MoneyInput
    displayString: String
  }

  input PaymentsInput {
    summary: PaymentSummaryInput
  }

  input PaymentSummaryInput {
    amount: MoneyInput
    paymentMethodDisplayString: String
    state: String
  }

  input ClientDetailsInput {
    ipAddress: String
    userAgent: String
  }

  # ---- offers

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
    "The baseOfferId of createOrderFromOffer."
    id: ID!
    lineItems: [LineItem!]!
    "Sandbox addition: after this instant createOrderFromOffer refuses the offer (ExpiredOffer)."
    expiresAt: String
  }

  type LineItem {
    id: ID!
    aliases: [Alias!]
    amount: Amount!
    createdAt: String
    product: PurchasedProductView
    deliveryOffer: DeliveryOfferInfo
    "The return policy at the time of the offer."
    reversalOffers: ReversalOfferInfo
    packageInformation: PackageInformation
    payments: Payments
    taxes: Taxes
    discounts: DiscountAllocations
    cancellations: Cancellations
  }

  type Alias {
    aliasType: String!
    aliasId: String!
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
    image: ProductImage
    purchaseGroupMembership: PurchaseGroupMembership
  }

  type ProductImage {
    displayReadyUrl: String
    sourceUrl: String
    altText: String
  }

  type PurchaseGroupMembership {
    product: PurchasedProductView
    memberAmount: Amount
  }

  type DeliveryOfferInfo {
    summary: DeliveryOfferSummary
    "The product page example's name for summary."
    deliveryOfferSummary: DeliveryOfferSummary
    details: DeliveryOfferDetails
  }

  type DeliveryOfferSummary {
    deliveryMessage: DeliveryMessage
    deliveryCharge: Money
    deliveryProvider: String!
    deliveryTerms: DeliveryTerms
    taxes: TaxSummary
    discounts: [DiscountSummary!]
    deliveryOfferFor: LineItemAmounts
  }

  type DeliveryOfferDetails {
    "Delivery offer id: set for a Prime delivery by AMAZON, else null."
    id: ID
    "Set for a Prime delivery by AMAZON, else null."
    deliveryPreviewId: ID
    deliveryProvider: String!
    date: DeliveryDateRange
    deliveryTerms: DeliveryTerms
    policy: DeliveryPolicy
    price: DeliveryPrice
    recipient: Recipient
    discounts: DiscountAllocations
    taxes: Taxes
    deliveryOfferFor: LineItemAmounts
    "Sandbox addition, as on DeliveryOffer: set only for a known shopper with a full address."
    expiresAt: String
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
    productMessaging: [ProductDeliveryMessage!]!
  }

  type ProductDeliveryMessage {
    products: [DeliveryProduct!]!
    message: DeliveryMessage
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

  type Recipient {
    id: ID!
    deliveryAddress: Address
  }

  type Address {
    name: String
    streetAddress: String
    extendedAddress: String
    locality: String
    region: String
    postalCode: String
    countryCode: String
    contactNumber: String
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
    window: ReversalWindow
  }

  type ReversalWindow {
    endDate: String
    duration: Amount
  }

  # ---- delivery preview

  type DeliveryPreview {
    "The deliveryPreviewId of createOrder."
    id: ID!
    deliveryGroups: [DeliveryGroup!]!
  }

  "Items packed and delivered together, with the delivery offers available for them."
  type DeliveryGroup {
    id: ID!
    products: [DeliveryProduct!]!
    deliveryOffers: [DeliveryOffer!]!
  }

  type DeliveryProduct {
    productIdentifier: ProductIdentifier!
    amount: Amount
  }

  interface ProductIdentifier {
    value: String!
  }

  type SkuProductIdentifier implements ProductIdentifier {
    value: String!
  }

  type ProductIdProductIdentifier implements ProductIdentifier {
    value: String!
  }

  type ExternalIdProductIdentifier implements ProductIdentifier {
    value: String!
  }

  type AmazonSkuProductIdentifier implements ProductIdentifier {
    value: String!
    marketplaceId: String
  }

  type DeliveryOffer {
    "The id createOrder takes with the preview's id."
    id: ID!
    price: DeliveryPrice!
    date: DeliveryDateRange
    policy: DeliveryPolicy
    "Set only for a known shopper with a full address; regenerate the preview after it."
    expiresAt: String
    terms: DeliveryTerms
    "The create-order guide's sample names terms deliveryTerms."
    deliveryTerms: DeliveryTerms
  }

  type ShopperBwPEligibility {
    shopperId: ID!
    "PRIME or NON_PRIME, the two documented values."
    bwpEligibilityStatus: String!
  }

  # ---- orders

  type CreateOrderResponse {
    order: Order
  }

  type CreateOrderFromOfferResponse {
    order: Order
  }

  type Order {
    id: ID!
    aliases: [Alias!]!
    customer: Customer
    recipient: Recipient
    lineItems: [LineItem!]!
    taxes: Taxes
    discounts: DiscountAllocations
    totalPrice: OrderTotalSummary
    payments: Payments
    refunds: Refunds
    returns: Returns
    metadata: OrderMetadata
    orderLinks: [OrderLink!]!
  }

  type Customer {
    bwpCustomerId: ID
  }

  type OrderMetadata {
    executionState: String
    createdAt: String
    updatedAt: String
  }

  type OrderLink {
    destinationType: String
    url: String
    displayMessage: String
  }

  type OrderTotalSummary {
    rollupCharges: [RollupCharge!]!
    value: Money
    verified: Boolean
  }

  type RollupCharge {
    rollupChargeType: String
    displayString: String
    value: Money
  }

  type TaxSummary {
    collectableTaxAmount: Money
  }

  type Taxes {
    summary: TaxSummary
  }

  type DiscountSummary {
    amount: Money
    displayString: String
  }

  type DiscountDetail {
    amount: Money
    displayString: String
    aliases: [Alias!]
    couponCode: String
  }

  type DiscountAllocations {
    summary: DiscountSummary
    details: [DiscountDetail!]
  }

  "Line items and amounts a delivery offer, package, refund, cancellation or return is for."
  type LineItemAmounts {
    orderLineItemAmounts: [OrderLineItemAmount!]
    orderLineItems: [OrderLineItemAmount!]
  }

  type OrderLineItemAmount {
    lineItem: LineItem
    amount: Amount
  }

  type PackageInformation {
    summary: PackageInformationSummary
    details: [PackageInformationDetail!]
  }

  type PackageInformationSummary {
    state: String
  }

  type PackageInformationDetail {
    id: ID
    state: String
    reason: String
    packageTracker: PackageTracker
    packageInformationDetailsFor: LineItemAmounts
  }

  type PackageTracker {
    packageTrackerIdentifier: PackageTrackerIdentifier
  }

  type PackageTrackerIdentifier {
    trackingNumber: String
    carrierCode: String
  }

  type Payments {
    summary: PaymentSummary
    details: [Payment!]
  }

  type PaymentSummary {
    amount: Money
    paymentMethodDisplayString: String
    state: String
  }

  type Payment {
    id: ID
    amount: Money
    paymentMethod: PaymentMethod
    state: String
    payer: Payer
    aliases: [Alias!]
    createdAt: String
    updatedAt: String
  }

  type PaymentMethod {
    displayString: String
    type: String
  }

  type Payer {
    id: ID
  }

  type Cancellations {
    details: [Cancellation!]
  }

  type Cancellation {
    aliases: [Alias!]
    createdAt: String
    updatedAt: String
    reason: String
    requestedBy: String
    additionalComments: String
    state: String
    refundDetails: [Refund!]
    canceledFor: LineItemAmounts
  }

  type Refunds {
    summary: RefundSummary
    details: [Refund!]
  }

  type RefundSummary {
    refundTotal: RefundTotal
    paymentSummary: PaymentSummary
  }

  type RefundTotal {
    totalAmount: Money
  }

  type Refund {
    id: ID
    aliases: [Alias!]
    createdAt: String
    updatedAt: String
    refundTotal: RefundTotal
    state: String
    refundFor: LineItemAmounts
    paymentDetails: [Payment!]
  }

  type Returns {
    details: [Return!]
  }

  type Return {
    id: ID
    createdAt: String
    updatedAt: String
    state: String
    returnPackageDetails: [ReturnPackage!]
    returnLineItems: [ReturnLineItem!]
    returnFor: LineItemAmounts
  }

  type ReturnPackage {
    id: ID
    state: String
    returnPackageFor: LineItemAmounts
  }

  type ReturnLineItem {
    id: ID
    grading: Grading
    lineItem: OrderLineItemAmount
  }

  type Grading {
    summary: GradingSummary
  }

  type GradingSummary {
    gradedAmount: Amount
    unitWiseCondition: [UnitWiseCondition!]
  }

  type UnitWiseCondition {
    amount: Amount
    condition: String
  }
`;

/** The SDL, undocumented input types under their unguessable names. */
export const typeDefs = documentedTypeDefs.replace(hiddenNames, (name) =>
  sandboxInputType(name as (typeof UNDOCUMENTED_INPUT_TYPES)[number]),
);

/** The executable schema: the SDL with the custom scalars' parsing attached. */
export function createSchema(): GraphQLSchema {
  const schema = buildSchema(typeDefs);
  for (const scalar of [LenientBoolean, Decimal]) {
    const built = schema.getType(scalar.name) as GraphQLScalarType;
    Object.assign(built, {
      serialize: scalar.serialize,
      parseValue: scalar.parseValue,
      parseLiteral: scalar.parseLiteral,
    });
  }
  return schema;
}
