// Prints raw, gzip and brotli sizes of the CDN files (node:zlib, gzip level 9, brotli quality 11).
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {brotliCompressSync, constants, gzipSync} from 'node:zlib';

const dir = 'dist/cdn';
const rows = readdirSync(dir, {recursive: true})
  .filter((name) => String(name).endsWith('.js'))
  .map((name) => {
    const bytes = readFileSync(join(dir, String(name)));
    return {
      file: String(name),
      raw: bytes.length,
      gzip: gzipSync(bytes, {level: 9}).length,
      brotli: brotliCompressSync(bytes, {params: {[constants.BROTLI_PARAM_QUALITY]: 11}}).length,
    };
  });
const width = Math.max(...rows.map((r) => r.file.length), 4);
console.log(`${'file'.padEnd(width)}  ${'raw'.padStart(8)}  ${'gzip'.padStart(8)}  ${'brotli'.padStart(8)}`);
for (const r of rows) {
  console.log(
    `${r.file.padEnd(width)}  ${String(r.raw).padStart(8)}  ${String(r.gzip).padStart(8)}  ${String(r.brotli).padStart(8)}`,
  );
}
