import {define} from '../shared/define.js';
import {BwpDeliveryBadge} from './delivery-badge.js';

define('bwp-delivery-badge', BwpDeliveryBadge);

/** The class too, so `import {BwpDeliveryBadge} from '@bwp/storefront-elements/delivery-badge'` both defines and types it. */
export {BwpDeliveryBadge};

declare global {
  interface HTMLElementTagNameMap {
    'bwp-delivery-badge': BwpDeliveryBadge;
  }
}
