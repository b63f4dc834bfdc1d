// Classes and types, no side effects: import './define.js' (or a per-element define) to register the tags.
export {BwpDeliveryBadge} from './components/delivery-badge/delivery-badge.js';
export {BwpOfferSummary} from './components/offer-summary/offer-summary.js';
export {
  BwpCheckoutOffers,
  BwpChangeEvent,
  type CheckoutState,
} from './components/checkout-offers/checkout-offers.js';
export {BwpLineItem} from './components/checkout-offers/line-item.js';
export {BwpErrorEvent, BwpLoadEvent} from './components/shared/events.js';
export {BwpEmptyEvent} from './components/shared/empty-event.js';
export {ProxyClient, clientFor} from './api/client.js';
export {setShopperToken} from './api/identity.js';
export {setPostalCode, BwpPostalCodeError} from './api/location.js';
export type {Diagnostics, DiagnosticReason, DiagnosticState} from './api/diagnostics.js';
export type {OfferView, ReturnsView} from './api/types.js';
export type {CheckoutLineInput} from './api/checkout.js';
export type {CheckoutSelection, ErrorCode, Money, SelectedLine, ShippingAddress} from './api/protocol.js';
