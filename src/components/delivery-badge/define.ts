import {define} from '../shared/define.js';
import {BwpDeliveryBadge} from './delivery-badge.js';

define('bwp-delivery-badge', BwpDeliveryBadge);

declare global {
  interface HTMLElementTagNameMap {
    'bwp-delivery-badge': BwpDeliveryBadge;
  }
}
