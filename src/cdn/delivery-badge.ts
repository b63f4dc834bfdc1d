// CDN entry bwp-delivery-badge.js: the badge alone, and the page API.
import '../components/delivery-badge/define.js';

export {setShopperToken} from '../api/identity.js';
export {setPostalCode} from '../api/location.js';
