import {define} from '../shared/define.js';
import {BwpOfferSummary} from './offer-summary.js';

define('bwp-offer-summary', BwpOfferSummary);

/** The class too, so `import {BwpOfferSummary} from '@bwp/storefront-elements/offer-summary'` both defines and types it. */
export {BwpOfferSummary};

declare global {
  interface HTMLElementTagNameMap {
    'bwp-offer-summary': BwpOfferSummary;
  }
}
