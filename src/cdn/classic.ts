// CDN entry bwp-elements.classic.js (a classic script for pages without modules): every element, no globals.
import '../define.js';
