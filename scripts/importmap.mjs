// `node scripts/importmap.mjs <base URL of dist/cdn/> [element …]`: the tags that load bwp-elements.js with
// every file pinned by its sha384 integrity: an import map whose `integrity` covers each file the loader may
// import, `modulepreload` links for the code of the elements named (a template that knows them), and the
// loader's own script tag. Also prints the CSP source a strict page adds to `script-src` for the
// inline import map.
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {pathToFileURL} from 'node:url';

/**
 * The HTML for the page head, and the `'sha256-…'` CSP source of its inline import map. With `elements`
 * (a template that knows which it shows, say `delivery-badge` and `offer-summary`), `modulepreload` links
 * for their code too: it downloads beside the loader instead of after it.
 */
export function pinnedTags(manifest, base, elements = []) {
  const url = (file) => new URL(file, base).href;
  const versioned = Object.keys(manifest.files).filter((file) => file.startsWith(`v${manifest.version}/`));
  const loader = manifest.entries['bwp-elements'].versioned;
  const map = JSON.stringify({
    integrity: Object.fromEntries(versioned.map((file) => [url(file), manifest.files[file].integrity])),
  });
  const preload = [...new Set(elements.flatMap((name) => manifest.preload?.[name] ?? unknown(name)))];
  // Integrity on another origin needs a CORS request; on the page's own it does no harm.
  const html = [
    `<script type="importmap">${map}</script>`,
    // After the map: a module fetched before it would leave the map unused.
    ...preload.map(
      (file) =>
        `<link rel="modulepreload" href="${url(file)}" integrity="${manifest.files[file].integrity}" crossorigin="anonymous">`,
    ),
    `<script type="module" src="${url(loader)}" integrity="${manifest.files[loader].integrity}" crossorigin="anonymous"></script>`,
  ].join('\n');
  return {html, csp: `'sha256-${createHash('sha256').update(map).digest('base64')}'`};
}

const unknown = (name) => {
  throw Object.assign(
    new Error(`no element "${name}": name delivery-badge, offer-summary or checkout-offers`),
    {code: 'unknown_element'},
  );
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [base, ...elements] = process.argv.slice(2);
  if (!base) {
    console.error('usage: node scripts/importmap.mjs <base URL of dist/cdn/, ending in /> [element …]');
    process.exit(2);
  }
  const manifest = JSON.parse(readFileSync('dist/cdn/manifest.json', 'utf8'));
  let tags;
  try {
    tags = pinnedTags(manifest, base, elements);
  } catch (error) {
    console.error(`importmap: ${error.code}: ${error.message}`);
    process.exit(2);
  }
  const {html, csp} = tags;
  console.log(`${html}\n\n<!-- script-src for the inline import map: ${csp} -->`);
}
