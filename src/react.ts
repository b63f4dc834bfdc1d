// React wrappers (@lit/react): `import {BwpDeliveryBadge} from '@bwp/storefront-elements/react'`.
// Importing this module defines the three elements; react is a peer dependency, never in the CDN files.
import {createComponent, type EventName} from '@lit/react';
import * as React from 'react';
import {
  BwpCheckoutOffers as CheckoutOffersElement,
  type BwpChangeEvent,
} from './components/checkout-offers/checkout-offers.js';
import './components/checkout-offers/define.js';
import {BwpDeliveryBadge as DeliveryBadgeElement} from './components/delivery-badge/delivery-badge.js';
import './components/delivery-badge/define.js';
import {BwpOfferSummary as OfferSummaryElement} from './components/offer-summary/offer-summary.js';
import './components/offer-summary/define.js';
import type {BwpErrorEvent, BwpLoadEvent} from './components/shared/events.js';
import type {CheckoutView} from './api/checkout.js';
import type {OfferView} from './api/types.js';

/** `onBwpLoad` (the offer is shown; detail is the view model) and `onBwpError` (detail.code). */
const productEvents = {
  onBwpLoad: 'bwp-load' as EventName<BwpLoadEvent<OfferView>>,
  onBwpError: 'bwp-error' as EventName<BwpErrorEvent>,
};

/** `<bwp-delivery-badge>`: props are the element's properties (`sku`, `productId`, `quantity`, …). */
export const BwpDeliveryBadge = createComponent({
  react: React,
  tagName: 'bwp-delivery-badge',
  elementClass: DeliveryBadgeElement,
  events: productEvents,
  displayName: 'BwpDeliveryBadge',
});

/** `<bwp-offer-summary>`: props are the element's properties (`sku`, `productId`, `quantity`, …). */
export const BwpOfferSummary = createComponent({
  react: React,
  tagName: 'bwp-offer-summary',
  elementClass: OfferSummaryElement,
  events: productEvents,
  displayName: 'BwpOfferSummary',
});

/** `<bwp-checkout-offers>`: `lineItems` and `shippingAddress` props; `onBwpChange` gets the selection. */
export const BwpCheckoutOffers = createComponent({
  react: React,
  tagName: 'bwp-checkout-offers',
  elementClass: CheckoutOffersElement,
  events: {
    onBwpLoad: 'bwp-load' as EventName<BwpLoadEvent<CheckoutView>>,
    onBwpError: 'bwp-error' as EventName<BwpErrorEvent>,
    onBwpChange: 'bwp-change' as EventName<BwpChangeEvent>,
  },
  displayName: 'BwpCheckoutOffers',
});

export {setShopperToken} from './api/identity.js';
