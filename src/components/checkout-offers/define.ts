import {define} from '../shared/define.js';
import {BwpCheckoutOffers} from './checkout-offers.js';
import {BwpLineItem} from './line-item.js';

define('bwp-line-item', BwpLineItem);
define('bwp-checkout-offers', BwpCheckoutOffers);

declare global {
  interface HTMLElementTagNameMap {
    'bwp-checkout-offers': BwpCheckoutOffers;
    'bwp-line-item': BwpLineItem;
  }
}
