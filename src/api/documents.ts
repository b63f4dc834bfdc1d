// Ids of the persisted documents the proxy knows (server/operations holds the documents themselves).
// Plain constants, not an object, so the bundle inlines them.
export const PRODUCT_OFFERS = 'ProductOffers.v1';
export const CHECKOUT_OFFERS = 'CheckoutOffers.v1';
export const DELIVERY_PREVIEW = 'DeliveryPreview.v1';

/** Request header carrying the shopper's Login with Amazon access token to the proxy. */
export const SHOPPER_TOKEN_HEADER = 'x-bwp-shopper-token';
