// CDN entry bwp-elements.js: a small loader. Each element's code is fetched when its tag first appears in
// the document (now or later), so a product page never downloads the checkout. For the product
// elements already in the page it also starts their offer requests at once, in parallel with their
// code (see prefetch.ts).
import {prefetch} from './prefetch.js';

export {setShopperToken} from '../api/identity.js';
export {setPostalCode} from '../api/location.js';

/** Each element's code; the build turns these into hashed files under lazy/, beside this one. */
const ENTRIES = {
  'delivery-badge': () => import('../components/delivery-badge/define.js'),
  'offer-summary': () => import('../components/offer-summary/define.js'),
  'checkout-offers': () => import('../components/checkout-offers/define.js'),
};
type Entry = keyof typeof ENTRIES;

const TAGS: Record<string, Entry> = {
  'bwp-delivery-badge': 'delivery-badge',
  'bwp-offer-summary': 'offer-summary',
  'bwp-checkout-offers': 'checkout-offers',
  'bwp-line-item': 'checkout-offers',
};
const PRODUCT = 'bwp-delivery-badge:not(:defined),bwp-offer-summary:not(:defined)';
const UNDEFINED = Object.keys(TAGS)
  .map((tag) => `${tag}:not(:defined)`)
  .join();

// The files each entry imports that this loader does not, and the files of the location control that
// the summary imports when it has location-control, written in by the build (scripts/build.mjs):
// preloaded when the entry is, they arrive together instead of one import level at a time.
type Preload = Partial<Record<Entry | 'location-control', string[]>>;
declare const __BWP_PRELOAD__: Preload;
const PRELOAD: Preload = typeof __BWP_PRELOAD__ == 'object' ? __BWP_PRELOAD__ : {};

const started = new Set<Entry>();
const preloaded = new Set<string>();

function preload(files: string[] = []) {
  for (const file of files) {
    if (preloaded.has(file)) continue;
    preloaded.add(file);
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = new URL(file, import.meta.url).href;
    document.head.append(link);
  }
}

function load(entry: Entry) {
  if (started.has(entry)) return;
  started.add(entry);
  preload(PRELOAD[entry]);
  // A file that fails to load leaves the element's fallback content; its next appearance tries again.
  ENTRIES[entry]().catch(() => started.delete(entry));
}

/**
 * Loads the code of every element in `root` (a subtree or a shadow root) whose tag is not defined yet.
 * The loader watches the document itself; call this for elements inside your own shadow roots.
 */
export function discover(root: ParentNode): void {
  find(root);
}

function find(root: ParentNode, now = false) {
  const self = root instanceof Element ? [root] : [];
  const products = [...self, ...root.querySelectorAll(PRODUCT)].filter((el) => el.matches(PRODUCT));
  try {
    prefetch(products, now);
  } catch {
    // Only a head start: without it each element asks by itself.
  }
  for (const el of [...self, ...root.querySelectorAll(UNDEFINED)])
    if (el.matches(UNDEFINED)) load(TAGS[el.localName]!);
  if (products.some((el) => el.matches('bwp-offer-summary[location-control]')))
    preload(PRELOAD['location-control']);
}

const observer = new MutationObserver((records) => {
  for (const {addedNodes} of records)
    for (const node of addedNodes) if (node instanceof Element) discover(node);
  // Every tag defined: nothing left to watch for.
  if (Object.keys(TAGS).every((tag) => customElements.get(tag))) observer.disconnect();
});
observer.observe(document, {childList: true, subtree: true});
// The document's own elements are all at hand: their requests leave now, before the imports of their
// code start, rather than after this task (elements added later still go out together, per task).
find(document, true);
