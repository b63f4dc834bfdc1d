// `npm run build:edge` (part of `npm run build`): the proxy bundled for the edge, one file each, in dist/edge/.
//   worker.js     a Worker module (server/proxy/worker.ts: `export default createWorker()`), for workerd
//   lambda.mjs    an AWS Lambda handler (server/proxy/lambda-main.ts: `export const handler`), for node20
//   meta.json     esbuild's metafile of both: every input module, checked by test/e2e/edge-bundles.test.ts
// Sizes go against scripts/edge-budget.json. Neither bundle may hold the sandbox (schema, catalog) nor
// graphql-js's executor: the proxy only parses and prints its persisted documents.
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import {compressedSizes} from './sizes.mjs';

export const EDGE = 'dist/edge';
export const BUNDLES = {
  worker: {
    entry: 'server/proxy/worker.ts',
    outfile: 'worker.js',
    platform: 'browser',
    // workerd's own conditions, as wrangler resolves them.
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
  },
  lambda: {
    entry: 'server/proxy/lambda-main.ts',
    outfile: 'lambda.mjs',
    platform: 'node',
    conditions: ['module'],
    // ES modules first: graphql's CommonJS index ties every module to every other, executor included, and
    // would treble the bundle; its .mjs files shake down to the parser and printer the proxy uses.
    mainFields: ['module', 'main'],
  },
};

/** Raw, gzip and brotli bytes of each bundle, as written. */
export function edgeSizes(root = EDGE) {
  return Object.fromEntries(
    Object.entries(BUNDLES).map(([name, b]) => [name, compressedSizes(readFileSync(join(root, b.outfile)))]),
  );
}

async function main() {
  rmSync(EDGE, {recursive: true, force: true});
  mkdirSync(EDGE, {recursive: true});
  const meta = {};
  for (const [name, bundle] of Object.entries(BUNDLES)) {
    const result = await build({
      entryPoints: [bundle.entry],
      outfile: join(EDGE, bundle.outfile),
      bundle: true,
      format: 'esm',
      platform: bundle.platform,
      conditions: bundle.conditions,
      mainFields: bundle.mainFields,
      target: 'es2022',
      minify: true,
      legalComments: 'none',
      metafile: true,
      logLevel: 'warning',
    });
    // The modules that put code in the bundle (esbuild lists every module it read, shaken out or not).
    const [output] = Object.values(result.metafile.outputs);
    meta[name] = Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path)
      .sort();
  }
  writeFileSync(join(EDGE, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  const budget = JSON.parse(readFileSync('scripts/edge-budget.json', 'utf8'));
  let over = false;
  for (const [name, size] of Object.entries(edgeSizes())) {
    const limit = budget[name];
    over ||= !(size.gzip <= limit);
    console.log(
      `${EDGE}/${BUNDLES[name].outfile}: ${(size.raw / 1024).toFixed(1)} KiB, gzip ${size.gzip} B ` +
        `(budget ${limit}), brotli ${size.brotli} B, ${meta[name].length} modules`,
    );
  }
  if (over) console.warn('build-edge: over budget (scripts/edge-budget.json); npm test fails on it');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
