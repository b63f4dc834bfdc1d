// A React 19 app's TSX, compiled against the published declarations by test/e2e/package.test.ts.
import type {} from '@bwp/storefront-elements/jsx';
import {BwpCheckoutOffers, BwpDeliveryBadge, BwpOfferSummary} from '@bwp/storefront-elements/react';
import {useRef} from 'react';

export function ProductPage({sku}: {sku: string}) {
  const badge = useRef<HTMLElementTagNameMap['bwp-delivery-badge']>(null);
  return (
    <>
      <BwpDeliveryBadge
        ref={badge}
        sku={sku}
        variant="compact"
        onBwpLoad={(event) => console.log(event.detail.message)}
        onBwpError={(event) => console.log(event.detail.code)}
      />
      <BwpOfferSummary productId="example-product-id-1" quantity={2} />
      {/* @ts-expect-error: quantity is a number on the wrapper */}
      <BwpOfferSummary sku={sku} quantity="two" />
      <bwp-delivery-badge sku={sku} variant="inline" class="promise" onbwp-load={(e) => e.detail.prime} />
      <bwp-offer-summary product-id="example-product-id-1" revisit-after="120">
        Free shipping over $25
      </bwp-offer-summary>
      {/* @ts-expect-error: the variant is a closed set */}
      <bwp-delivery-badge sku={sku} variant="huge" />
    </>
  );
}

export function Checkout() {
  return (
    <>
      <BwpCheckoutOffers
        shippingAddress={{
          name: 'Ada',
          streetAddress: '1 Main St',
          locality: 'Seattle',
          region: 'WA',
          postalCode: '98109',
          countryCode: 'US',
        }}
        lineItems={[{sku: 'TEE-NAVY-M', quantity: 1}]}
        onBwpChange={(event) => console.log(event.detail?.lines[0]?.deliveryPreviewId)}
      />
      <bwp-checkout-offers onbwp-change={(event) => console.log(event.detail?.offerId)}>
        <bwp-line-item sku="TEE-NAVY-M" quantity={2}></bwp-line-item>
      </bwp-checkout-offers>
    </>
  );
}
