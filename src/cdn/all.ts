// CDN entry bwp-elements.js: every element, and the page API.
export * from '../define.js';
