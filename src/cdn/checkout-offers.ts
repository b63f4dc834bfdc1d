// CDN entry bwp-checkout-offers.js: the checkout element (with <bwp-line-item>) alone, and the page API.
import '../components/checkout-offers/define.js';

export {setShopperToken} from '../api/identity.js';
