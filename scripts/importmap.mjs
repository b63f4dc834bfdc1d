// `node scripts/importmap.mjs <base URL of dist/cdn/>`: the tags that load bwp-elements.js with every file
// pinned by its sha384 integrity: an import map whose `integrity` covers each file the loader may import,
// and the loader's own script tag. Also prints the CSP source a strict page adds to `script-src` for the
// inline import map.
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {pathToFileURL} from 'node:url';

/** The HTML for the page head, and the `'sha256-…'` CSP source of its inline import map. */
export function pinnedTags(manifest, base) {
  const url = (file) => new URL(file, base).href;
  const versioned = Object.keys(manifest.files).filter((file) => file.startsWith(`v${manifest.version}/`));
  const loader = manifest.entries['bwp-elements'].versioned;
  const map = JSON.stringify({
    integrity: Object.fromEntries(versioned.map((file) => [url(file), manifest.files[file].integrity])),
  });
  // Integrity on another origin needs a CORS request; on the page's own it does no harm.
  const html = [
    `<script type="importmap">${map}</script>`,
    `<script type="module" src="${url(loader)}" integrity="${manifest.files[loader].integrity}" crossorigin="anonymous"></script>`,
  ].join('\n');
  return {html, csp: `'sha256-${createHash('sha256').update(map).digest('base64')}'`};
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const base = process.argv[2];
  if (!base) {
    console.error('usage: node scripts/importmap.mjs <base URL of dist/cdn/, ending in />');
    process.exit(2);
  }
  const {html, csp} = pinnedTags(JSON.parse(readFileSync('dist/cdn/manifest.json', 'utf8')), base);
  console.log(`${html}\n\n<!-- script-src for the inline import map: ${csp} -->`);
}
