// JSX types for the tags themselves: `import type {} from '@bwp/storefront-elements/jsx'` once.
// React 19 sets properties on custom elements and listens to `on<event-name>` props; Preact too.
import type {BwpCheckoutOffers, BwpChangeEvent} from './components/checkout-offers/checkout-offers.js';
import type {BwpLineItem} from './components/checkout-offers/line-item.js';
import type {BwpDeliveryBadge} from './components/delivery-badge/delivery-badge.js';
import type {BwpOfferSummary} from './components/offer-summary/offer-summary.js';
import type {BwpErrorEvent, BwpLoadEvent} from './components/shared/events.js';
import type {CheckoutView} from './api/checkout.js';
import type {OfferView} from './api/types.js';
import type * as React from 'react';

/** The attributes and properties of `<bwp-delivery-badge>` and `<bwp-offer-summary>`. */
interface ProductProps {
  sku?: string;
  'product-id'?: string;
  productId?: string;
  quantity?: number | string;
  endpoint?: string;
  reserve?: 'none';
  'revisit-after'?: number | string;
  revisitAfter?: number;
  'onbwp-load'?: (event: BwpLoadEvent<OfferView>) => void;
  'onbwp-error'?: (event: BwpErrorEvent) => void;
}

/** The custom elements' own props, framework-neutral: extend your framework's JSX with them. */
export interface BwpIntrinsicElements {
  'bwp-delivery-badge': ProductProps & {variant?: BwpDeliveryBadge['variant']};
  'bwp-offer-summary': ProductProps;
  'bwp-checkout-offers': {
    endpoint?: string;
    lineItems?: BwpCheckoutOffers['lineItems'];
    shippingAddress?: BwpCheckoutOffers['shippingAddress'];
    'onbwp-load'?: (event: BwpLoadEvent<CheckoutView>) => void;
    'onbwp-error'?: (event: BwpErrorEvent) => void;
    'onbwp-change'?: (event: BwpChangeEvent) => void;
  };
  'bwp-line-item': {
    sku?: string;
    'product-id'?: string;
    productId?: string;
    quantity?: number | string;
  };
}

/** React's own HTML props (children, class/className, style, id, key, ref…) plus the element's. */
type ReactProps<T extends keyof BwpIntrinsicElements, E extends HTMLElement> = React.DetailedHTMLProps<
  React.HTMLAttributes<E>,
  E
> &
  BwpIntrinsicElements[T] & {class?: string};

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'bwp-delivery-badge': ReactProps<'bwp-delivery-badge', BwpDeliveryBadge>;
      'bwp-offer-summary': ReactProps<'bwp-offer-summary', BwpOfferSummary>;
      'bwp-checkout-offers': ReactProps<'bwp-checkout-offers', BwpCheckoutOffers>;
      'bwp-line-item': ReactProps<'bwp-line-item', BwpLineItem>;
    }
  }
}
