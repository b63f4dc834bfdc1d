import {define} from '../shared/define.js';
import {BwpCheckoutOffers} from './checkout-offers.js';
import {BwpLineItem} from './line-item.js';

define('bwp-line-item', BwpLineItem);
define('bwp-checkout-offers', BwpCheckoutOffers);

/** The class too, so `import {BwpCheckoutOffers} from '@bwp/storefront-elements/checkout-offers'` both defines and types it. */
export {BwpCheckoutOffers, BwpLineItem};

declare global {
  interface HTMLElementTagNameMap {
    'bwp-checkout-offers': BwpCheckoutOffers;
    'bwp-line-item': BwpLineItem;
  }
}
