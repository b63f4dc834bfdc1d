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

/** One row per file, and one per entry counting everything it loads (each file compressed on its own). */
export function measure(root, manifest) {
  const files = readdirSync(root, {recursive: true})
    .map(String)
    .filter((f) => f.endsWith('.js'))
    .sort();
  const perFile = new Map(files.map((f) => [f, compressedSizes(readFileSync(join(root, f)))]));
  const entries = Object.entries(manifest?.entries ?? {}).map(([name, {versioned}]) => {
    const total = {raw: 0, gzip: 0, brotli: 0};
    for (const f of withImports(root, versioned))
      for (const k of Object.keys(total)) total[k] += perFile.get(f)[k];
    return {name, ...total};
  });
  return {files: [...perFile].map(([file, s]) => ({file, ...s})), entries};
}

const table = (rows, key) => {
  const width = Math.max(...rows.map((r) => r[key].length), key.length);
  const line = (r) =>
    `${String(r[key]).padEnd(width)}  ${String(r.raw).padStart(8)}  ${String(r.gzip).padStart(8)}  ${String(r.brotli).padStart(8)}`;
  return [line({[key]: key, raw: 'raw', gzip: 'gzip', brotli: 'brotli'}), ...rows.map(line)].join('\n');
};

export function printSizes(root, manifest) {
  const {files, entries} = measure(root, manifest);
  console.log(`\nCDN files in ${root} (bytes)\n${table(files, 'file')}`);
  if (entries.length)
    console.log(`\nWhat each entry loads, chunks included (bytes)\n${table(entries, 'name')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = process.argv[2] ?? 'dist/cdn';
  printSizes(root, JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')));
}
