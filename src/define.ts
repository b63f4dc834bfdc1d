// CDN entry: defines every element and exposes the page API.
import './components/delivery-badge/define.js';
import './components/offer-summary/define.js';
import './components/checkout-offers/define.js';

export * from './index.js';
