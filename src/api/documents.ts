/** Ids of the persisted documents the proxy knows (server/operations holds the documents themselves). */
export const DOCUMENT_IDS = {
  productOffers: 'ProductOffers.v1',
  checkoutOffers: 'CheckoutOffers.v1',
  deliveryPreview: 'DeliveryPreview.v1',
} as const;

/** Request header carrying the shopper's Login with Amazon access token to the proxy. */
export const SHOPPER_TOKEN_HEADER = 'x-bwp-shopper-token';
