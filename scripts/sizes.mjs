// Sizes of the CDN files: raw, gzip (level 9) and brotli (quality 11), per file and per entry with its chunks.
import {readdirSync, readFileSync} from 'node:fs';
import {dirname, join, normalize} from 'node:path';
import {brotliCompressSync, constants, gzipSync} from 'node:zlib';
import {pathToFileURL} from 'node:url';

export function compressedSizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, {level: 9}).length,
    brotli: brotliCompressSync(bytes, {params: {[constants.BROTLI_PARAM_QUALITY]: 11}}).length,
  };
}

/** The file and every module it imports statically, relative to root. */
export function withImports(root, file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(join(root, file), 'utf8');
  for (const match of source.matchAll(/(?:import|from)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    withImports(root, normalize(join(dirname(file), match[1])), seen);
  }
  return seen;
}

/**
 * What a page loads through the one tag (bwp-elements, the loader): the loader, then the code of the
 * elements it has (manifest.lazy), each with what it imports.
 */
export const PAGES = {
  'product page': ['delivery-badge', 'offer-summary'],
  'checkout page': ['checkout-offers'],
};

/**
 * One row per file, one per entry counting everything it loads, and one per page of PAGES (each file
 * compressed on its own, as a server sends it).
 */
export function measure(root, manifest) {
  const files = readdirSync(root, {recursive: true})
    .map(String)
    .filter((f) => f.endsWith('.js'))
    .sort();
  const perFile = new Map(files.map((f) => [f, compressedSizes(readFileSync(join(root, f)))]));
  const total = (files) => {
    const sum = {raw: 0, gzip: 0, brotli: 0};
    for (const f of files) for (const k of Object.keys(sum)) sum[k] += perFile.get(f)[k];
    return sum;
  };
  const versioned = (name) => manifest.entries[name].versioned;
  const entries = Object.keys(manifest?.entries ?? {}).map((name) => ({
    name,
    ...total(withImports(root, versioned(name))),
  }));
  const pages = Object.entries(manifest?.lazy ? PAGES : {}).map(([name, used]) => {
    const files = withImports(root, versioned('bwp-elements'));
    for (const element of used) withImports(root, manifest.lazy[element], files);
    return {name, files: [...files].sort(), ...total(files)};
  });
  return {files: [...perFile].map(([file, s]) => ({file, ...s})), entries, pages};
}

const table = (rows, key) => {
  const width = Math.max(...rows.map((r) => r[key].length), key.length);
  const line = (r) =>
    `${String(r[key]).padEnd(width)}  ${String(r.raw).padStart(8)}  ${String(r.gzip).padStart(8)}  ${String(r.brotli).padStart(8)}`;
  return [line({[key]: key, raw: 'raw', gzip: 'gzip', brotli: 'brotli'}), ...rows.map(line)].join('\n');
};

export function printSizes(root, manifest) {
  const {files, entries, pages} = measure(root, manifest);
  console.log(`\nCDN files in ${root} (bytes)\n${table(files, 'file')}`);
  if (entries.length)
    console.log(`\nWhat each entry loads, chunks included (bytes)\n${table(entries, 'name')}`);
  if (pages.length)
    console.log(`\nWhat a page loads through bwp-elements.js (bytes)\n${table(pages, 'name')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = process.argv[2] ?? 'dist/cdn';
  printSizes(root, JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')));
}
