import type {Diagnostics} from '../../api/diagnostics.js';

// What each element last wrote, so each change of its explanation is written once.
const written = new WeakMap<Element, string>();

const debugging = (el: Element) =>
  el.hasAttribute('debug') ||
  el.ownerDocument.querySelector('meta[name="bwp-debug"]')?.getAttribute('content') === 'on';

/**
 * With `debug` on the element or `<meta name="bwp-debug" content="on">`: writes the element's explanation to
 * the console when it changed (info for loading and ready, warn for empty and error; never error). `inputs`
 * are what the element asked with; the shopper token is never one of them. Without debug: silent.
 */
export function explain(el: Element & {diagnostics: Diagnostics}, inputs: () => object) {
  try {
    if (!debugging(el)) return;
    const {state, reason, hint} = el.diagnostics;
    if (written.get(el) === reason) return;
    written.set(el, reason);
    const write = state === 'loading' || state === 'ready' ? console.info : console.warn;
    write(`<${el.localName}> ${state}: ${reason}. ${hint}`, inputs(), el);
  } catch {
    // Debugging help must never break the page.
  }
}
