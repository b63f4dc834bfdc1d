// The hostile-content corpus and what the suites compare: shared by the Chromium suite (hostile.test.ts) and the
// one in every engine (hostile-engines.test.ts).

import {upstreamInputs} from '../server/upstream-inputs.ts';

/** Every payload that runs sets this flag (or makes a request, or logs an error: both are caught too). */
export const FLAG = 'window.__xss=1';

// OWASP filter-evasion style: tags, handlers, URLs, entities, escapes, template syntaxes, bidi, length.
export const CORPUS = [
  `<script>${FLAG}</script>`,
  `<img src=x onerror="${FLAG}">`,
  `<svg onload=${FLAG}>`,
  `<svg><script>${FLAG}</script></svg>`,
  `"><img src=x onerror=${FLAG}>`,
  `'><script>${FLAG}</script>`,
  `javascript:${FLAG}`,
  `<a href="javascript:${FLAG}">Get it Tomorrow</a>`,
  `<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>`,
  `<details open ontoggle=${FLAG}>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${FLAG}>`,
  `<!--<img src="--><img src=x onerror=${FLAG}//">`,
  `<<script>script>${FLAG}<</script>/script>`,
  `&lt;script&gt;${FLAG}&lt;/script&gt;`,
  `&#60;img src=x onerror=${FLAG}&#62;`,
  `\\u003cimg src=x onerror=${FLAG}\\u003e`,
  `%3Cscript%3E${FLAG}%3C/script%3E`,
  `\${${FLAG}}{{constructor.constructor('${FLAG}')()}}`,
  `<!--?lit$123456$--><template><script>${FLAG}</script></template>`,
  `\u202e<img src=x onerror=${FLAG}>\u202c tomorrow`,
  `<style>@import 'javascript:${FLAG}';*{background:url(x)}</style>`,
  `<b>${'A'.repeat(100_000)}</b><img src=x onerror=${FLAG}>`,
];

export const BENIGN = 'Get it as soon as Tomorrow, Nov 24';
/** The quantity a page asks for says which text its answers carry: 1 the benign one, n + 2 payload n. */
export const textFor = (quantity: number) => (quantity === 1 ? BENIGN : CORPUS[quantity - 2]!);

/** The quantity of the first line an upstream request asks for. */
export async function quantityOf(request: Request): Promise<number> {
  const variables = upstreamInputs((await request.clone().json()) as {query: string});
  return Number((variables.lineItems ?? variables.products)?.[0]?.amount?.value ?? 1);
}

/** Keys whose values steer the data, not text: kept so the elements still render the hostile text. */
export const KEEP = new Set(['__typename', 'badge', 'expiresAt', 'deliverySpeed', 'unit', 'resolutionTypes']);

/** Every string the API returns (promises, titles, descriptions, ids, locales, currency codes) replaced. */
export function poison(value: unknown, payload: string, key = ''): unknown {
  if (typeof value === 'string') return KEEP.has(key) ? value : payload;
  if (Array.isArray(value))
    return key === 'resolutionTypes' ? value : value.map((v) => poison(v, payload, key));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, payload, k)]));
  return value;
}

export const ELEMENTS = ['badge', 'summary', 'checkout'] as const;
export const URL_ATTRIBUTES = [
  'href',
  'src',
  'srcset',
  'srcdoc',
  'action',
  'formaction',
  'poster',
  'data',
  'xlink:href',
  'background',
];

/**
 * What the elements drew: element counts and attribute names per shadow root, and the delivery texts. Runs in
 * the page (a self-contained function, sent as source), with the tags to look into.
 */
export const inventoryOf = (tags: string[]) => {
  const shadows = tags.map((tag) => {
    const root = document.querySelector(tag)!.shadowRoot!;
    const all = Array.from(root.querySelectorAll('*'));
    return {
      tag,
      elements: all.length,
      names: [...new Set(all.map((el) => el.localName))].sort(),
      attributes: [...new Set(all.flatMap((el) => el.getAttributeNames()))].sort(),
      urls: all.flatMap((el) =>
        el.getAttributeNames().flatMap((name: string) => {
          const value = el.getAttribute(name) ?? '';
          // title holds text, never a URL; lang takes the API's locale only when it is a language tag.
          if (name === 'title') return [];
          return /^\s*(javascript|data|vbscript|http):/i.test(value) ? [`${el.localName}[${name}]`] : [];
        }),
      ),
      delivery: Array.from(root.querySelectorAll('[part="delivery"]')).map((el) => el.textContent),
    };
  });
  return {
    shadows,
    documentElements: document.querySelectorAll('*').length,
    flag: (window as unknown as {__xss?: unknown}).__xss,
  };
};
