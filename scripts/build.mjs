// `npm run build`: the CDN files in dist/cdn/.
//   v<version>/<entry>.<hash>.js   immutable ES modules: the loader (bwp-elements) and one per element,
//                                  sharing chunks in chunks/; the loader imports each element's entry lazily
//   v<version>/bwp-elements.classic.<hash>.js   classic script (no modules), defines every element
//   <entry>.js, bwp-elements.classic.js          stable aliases of the current version
//   manifest.json                                every file with its sha384 integrity
import {createHash} from 'node:crypto';
import {readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {join, posix, relative} from 'node:path';
import {build} from 'vite';
import {printSizes} from './sizes.mjs';

const {version} = JSON.parse(readFileSync('package.json', 'utf8'));
const root = 'dist/cdn';
const versioned = join(root, `v${version}`);

/** The loader: defines each element when its tag appears, importing that element's entry then. */
const LOADER_ENTRY = {'bwp-elements': 'src/cdn/loader.ts'};
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

const PRELOAD = '__BWP_PRELOAD__';
/**
 * Writes into the loader, for each element entry it imports lazily, every file that entry imports
 * statically (chunks it does not load itself), so that the loader can modulepreload them at once. The
 * names still hold hash placeholders here; the bundler replaces them with the final hashes, and hashes
 * the loader with them.
 */
const loaderPreload = {
  name: 'bwp-loader-preload',
  renderChunk(code, chunk, _options, {chunks}) {
    if (!code.includes(PRELOAD)) return null;
    const closure = (file, seen = new Set()) => {
      if (!seen.has(file)) {
        seen.add(file);
        for (const imported of chunks[file]?.imports ?? []) closure(imported, seen);
      }
      return seen;
    };
    const own = closure(chunk.fileName);
    const relative = (file) => `./${posix.relative(posix.dirname(chunk.fileName), file)}`;
    const preload = {};
    for (const file of chunk.dynamicImports) {
      const name = posix.basename(chunks[file]?.facadeModuleId ?? '', '.ts');
      if (name) preload[name] = [...closure(file)].filter((f) => f !== file && !own.has(f)).map(relative);
    }
    return {code: code.replaceAll(PRELOAD, `(${JSON.stringify(preload)})`), map: null};
  },
};

// Static imports of every module, to find what the loader's early requests need (see CHUNKS).
const graph = new Map();
const recordGraph = {name: 'bwp-record-graph', moduleParsed: (info) => graph.set(info.id, info.importedIds)};
const reaches = (from, id, seen = new Set()) =>
  from === id ||
  (!seen.has(from) && seen.add(from) && (graph.get(from) ?? []).some((m) => reaches(m, id, seen)));
const PREFETCH = /src[\\/]cdn[\\/]prefetch\.ts$/;

// Three shared chunks: the data layer the loader's early requests need (no Lit, so that they start
// before Lit arrives), what every element shares (Lit, the rest of the data layer), and what the two
// product elements share; so a product page never loads checkout code nor a checkout page product code.
// Fewer, larger files compress better than one chunk per combination of entries.
const CHUNKS = {
  groups: [
    {
      name: 'data',
      test: (id) => [...graph.keys()].some((from) => PREFETCH.test(from) && reaches(from, id)),
    },
    {name: 'core', minShareCount: 3},
    {name: 'product', minShareCount: 2},
  ],
};

const moduleBuild = (entry) =>
  build({
    ...shared,
    plugins: [...shared.plugins, recordGraph, loaderPreload],
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
          codeSplitting: CHUNKS,
        },
      },
    },
  });
// One build, so that the loader and the elements share one copy of the data layer (one client per page).
await moduleBuild({...LOADER_ENTRY, ...ELEMENT_ENTRIES});

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
const entryNames = [...Object.keys(LOADER_ENTRY), ...Object.keys(ELEMENT_ENTRIES), 'bwp-elements.classic'];
for (const name of entryNames) {
  const source = readFileSync(join(versioned, entryFile(name)), 'utf8');
  writeFileSync(
    join(root, `${name}.js`),
    source
      // Static and dynamic imports, and the loader's lists of files to preload.
      .replace(/((?:import\s*\(?|from|[[,])\s*["'`])\.\//g, `$1./v${version}/`)
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
