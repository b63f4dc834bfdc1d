// CDN entry bwp-offer-summary.js: the offer summary alone, and the page API.
import '../components/offer-summary/define.js';

export {setShopperToken} from '../api/identity.js';
export {setPostalCode} from '../api/location.js';
