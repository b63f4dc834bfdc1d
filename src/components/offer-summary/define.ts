import {define} from '../shared/define.js';
import {BwpOfferSummary} from './offer-summary.js';

define('bwp-offer-summary', BwpOfferSummary);

declare global {
  interface HTMLElementTagNameMap {
    'bwp-offer-summary': BwpOfferSummary;
  }
}
