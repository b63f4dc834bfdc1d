// `npm run build`: the CDN files in dist/cdn/.
//   v<version>/<entry>.<hash>.js   immutable ES modules (one per element + all), shared chunks in chunks/
//   v<version>/bwp-elements.classic.<hash>.js   classic script (no modules), defines every element
//   <entry>.js, bwp-elements.classic.js          stable aliases of the current version
//   manifest.json                                every file with its sha384 integrity
import {createHash} from 'node:crypto';
import {readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {build} from 'vite';
import {printSizes} from './sizes.mjs';

const {version} = JSON.parse(readFileSync('package.json', 'utf8'));
const root = 'dist/cdn';
const versioned = join(root, `v${version}`);

/** The all-elements module: one self-contained file, so a page loads it in one request. */
const ALL_ENTRY = {'bwp-elements': 'src/cdn/all.ts'};
/** Per-element modules: the name of the alias file, and the module it builds; they share chunks. */
const ELEMENT_ENTRIES = {
  'bwp-delivery-badge': 'src/cdn/delivery-badge.ts',
  'bwp-offer-summary': 'src/cdn/offer-summary.ts',
  'bwp-checkout-offers': 'src/cdn/checkout-offers.ts',
};
const CLASSIC_ENTRY = 'src/cdn/classic.ts';

// package.json `sideEffects` describes the npm files (dist/npm); our own sources are bundled here, and
// their define modules register elements, so they keep their side effects. Dependencies keep theirs.
// (Vite's resolver applies that field, so only a transform hook can override it.)
const ownSideEffects = {
  name: 'bwp-own-side-effects',
  transform: (_code, id) => (id.includes('/node_modules/') ? null : {moduleSideEffects: true}),
};

// `/* @__PURE__ */` marks are for bundlers, and a CDN file is the end of the line (legal comments were already dropped).
const OUTPUT_COMMENTS = false;

const shared = {
  configFile: false,
  plugins: [ownSideEffects],
  logLevel: 'warn',
  // Lib mode leaves process.env.NODE_ENV alone; a CDN file must not depend on it.
  define: {'process.env.NODE_ENV': JSON.stringify('production')},
};

rmSync(root, {recursive: true, force: true});

// Legacy decorators (tsconfig) are lowered by Oxc; standard ones would pass through unlowered.
const moduleBuild = (entry) =>
  build({
    ...shared,
    build: {
      target: 'es2022',
      outDir: versioned,
      emptyOutDir: false,
      copyPublicDir: false,
      sourcemap: true,
      lib: {entry, formats: ['es']},
      rolldownOptions: {
        output: {
          minify: true,
          comments: OUTPUT_COMMENTS,
          entryFileNames: '[name].[hash].js',
          chunkFileNames: 'chunks/[name].[hash].js',
        },
      },
    },
  });
await moduleBuild(ALL_ENTRY);
await moduleBuild(ELEMENT_ENTRIES);

await build({
  ...shared,
  build: {
    target: 'es2022',
    outDir: versioned,
    emptyOutDir: false,
    copyPublicDir: false,
    sourcemap: true,
    rolldownOptions: {
      input: {'bwp-elements.classic': CLASSIC_ENTRY},
      // A classic script with no exports: nothing is added to window beyond Lit's version markers.
      output: {format: 'iife', minify: true, comments: OUTPUT_COMMENTS, entryFileNames: '[name].[hash].js'},
    },
  },
});

const files = readdirSync(versioned, {recursive: true})
  .map(String)
  .filter((f) => f.endsWith('.js'))
  .sort();
// `<name>.<hash>.js` exactly: bwp-elements must never pick bwp-elements.classic.<hash>.js.
const entryFile = (name) =>
  files.find((f) => f.startsWith(`${name}.`) && /^[^./]+\.js$/.test(f.slice(name.length + 1)));

// Stable aliases: copies of the versioned entries, their relative imports pointed into the version folder.
const entryNames = [...Object.keys(ALL_ENTRY), ...Object.keys(ELEMENT_ENTRIES), 'bwp-elements.classic'];
for (const name of entryNames) {
  const source = readFileSync(join(versioned, entryFile(name)), 'utf8');
  writeFileSync(
    join(root, `${name}.js`),
    source
      .replace(/((?:import|from)\s*["'])\.\//g, `$1./v${version}/`)
      .replace(/(\/\/# sourceMappingURL=)/, `$1v${version}/`),
  );
}

const integrity = (path) => `sha384-${createHash('sha384').update(readFileSync(path)).digest('base64')}`;
const all = readdirSync(root, {recursive: true})
  .map(String)
  .filter((f) => f.endsWith('.js'))
  .sort();
const manifest = {
  version,
  entries: Object.fromEntries(
    entryNames.map((name) => [name, {versioned: `v${version}/${entryFile(name)}`, alias: `${name}.js`}]),
  ),
  files: Object.fromEntries(
    all.map((f) => [f, {bytes: statSync(join(root, f)).size, integrity: integrity(join(root, f))}]),
  ),
};
writeFileSync(join(root, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

printSizes(root, manifest);
console.log(`\nwrote ${relative('.', root)}/manifest.json (${all.length} files with sha384 integrity)`);
