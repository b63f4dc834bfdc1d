// A merchant's TypeScript, compiled against the published declarations (dist/npm) by test/e2e/package.test.ts.
import {
  BwpCheckoutOffers,
  setShopperToken,
  type CheckoutSelection,
  type ErrorCode,
} from '@bwp/storefront-elements';
import '@bwp/storefront-elements/define';

const badge = document.createElement('bwp-delivery-badge');
badge.sku = 'TEE-NAVY-M';
badge.quantity = 2;
badge.variant = 'compact';
// @ts-expect-error: the variant is a closed set
badge.variant = 'huge';
badge.refresh();

badge.addEventListener('bwp-error', (event) => {
  const code: ErrorCode = event.detail.code;
  console.log(code);
});

const checkout: BwpCheckoutOffers = document.createElement('bwp-checkout-offers');
checkout.lineItems = [{sku: 'TEE-NAVY-M', quantity: 1}];
checkout.shippingAddress = {
  name: 'Ada',
  streetAddress: '1 Main St',
  locality: 'Seattle',
  region: 'WA',
  postalCode: '98109',
  countryCode: 'US',
};
checkout.addEventListener('bwp-change', (event) => {
  const selection: CheckoutSelection | null = event.detail;
  console.log(
    selection?.offerId,
    selection?.lines.map((line) => line.deliveryOfferId),
  );
});
document.querySelector('bwp-offer-summary')?.setAttribute('sku', 'TEE-NAVY-M');
document.createElement('bwp-line-item').productId = 'example-product-id-1';

setShopperToken(null);
