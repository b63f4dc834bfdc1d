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
import {minifyLiteralsPlugin, staticImports} from './build-plugins.mjs';
import {printSizes, withImports} from './sizes.mjs';

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
  plugins: [ownSideEffects, minifyLiteralsPlugin],
  logLevel: 'warn',
  // Lib mode leaves process.env.NODE_ENV alone; a CDN file must not depend on it.
  define: {'process.env.NODE_ENV': JSON.stringify('production')},
};

rmSync(root, {recursive: true, force: true});

const PRELOAD = '__BWP_PRELOAD__';
/** src/components/<name>/define.ts is <name>; any other module its file's name (location-control). */
const moduleName = (id) =>
  posix.basename(id) === 'define.ts' ? posix.basename(posix.dirname(id)) : posix.basename(id, '.ts');
/** The elements whose code a chunk holds: src/components/<name>/define.ts names one (shared/ is none). */
const elementsIn = (chunk) =>
  (chunk?.moduleIds ?? []).flatMap(
    (id) => id.match(/\/src\/components\/([^/]+)\/define\.ts$/)?.[1]?.replace(/^shared$/, '') || [],
  );
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
      for (const name of elementsIn(chunks[file]))
        preload[name] = [...closure(file)].filter((f) => f !== file && !own.has(f)).map(relative);
      // What element code imports lazily itself (an optional feature): the file with what it imports.
      for (const feature of chunks[file]?.dynamicImports ?? [])
        preload[moduleName(chunks[feature]?.facadeModuleId ?? feature)] = [...closure(feature)]
          .filter((f) => !own.has(f))
          .map(relative);
    }
    return {code: code.replaceAll(PRELOAD, `(${JSON.stringify(preload)})`), map: null};
  },
};

// Two shared chunks beside an entry's own code: what every element shares (Lit, the data layer) and what
// the two product elements share; so a product page never loads checkout code nor a checkout page
// product code. Fewer, larger files compress better than one chunk per combination of entries.
const chunks = (test = () => true, first = []) => ({
  groups: [...first, {name: 'core', minShareCount: 3, test}, {name: 'product', minShareCount: 2, test}],
});

// Static imports of every module, to keep what the loader imports itself in the loader's file.
const graph = new Map();
const recordGraph = {name: 'bwp-record-graph', moduleParsed: (info) => graph.set(info.id, info.importedIds)};
const staticallyFrom = (entry) => {
  const seen = new Set();
  const visit = (id) => seen.has(id) || (seen.add(id), (graph.get(id) ?? []).forEach(visit));
  visit([...graph.keys()].find((id) => id.endsWith(entry)));
  return seen;
};

/** The element modules the loader imports lazily, by name, as written (lazy/<name>.<hash>.js). */
const lazy = {};
/** What element code imports lazily itself, when an element's feature is on (location-control). */
const features = {};
const recordLazy = {
  name: 'bwp-record-lazy',
  generateBundle(_options, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk') continue;
      for (const name of elementsIn(chunk)) lazy[name] = `v${version}/${chunk.fileName}`;
      if (!chunk.isEntry && chunk.facadeModuleId && !elementsIn(chunk).length && chunk.isDynamicEntry)
        features[moduleName(chunk.facadeModuleId)] = `v${version}/${chunk.fileName}`;
    }
  },
};

const moduleBuild = (entry, chunkFileNames, plugins = [], codeSplitting = chunks(), signatures = 'strict') =>
  build({
    ...shared,
    plugins: [...shared.plugins, ...plugins],
    build: {
      target: 'es2022',
      outDir: versioned,
      emptyOutDir: false,
      copyPublicDir: false,
      sourcemap: true,
      lib: {entry, formats: ['es']},
      rolldownOptions: {
        preserveEntrySignatures: signatures,
        output: {
          minify: true,
          comments: OUTPUT_COMMENTS,
          entryFileNames: '[name].[hash].js',
          chunkFileNames,
          codeSplitting,
        },
      },
    },
  });
// The loader holds the data layer itself, so that its early requests start as soon as it runs, with no
// import to wait for; the element code it imports later (lazy/) takes the data layer from it, so the
// page has one client. A build of its own: the per-element entries cannot share the loader's file,
// which would start the loader wherever they are used.
let loaderModules;
// Known once every module is parsed, which is before chunks are formed.
const inLoader = (id) => (loaderModules ??= staticallyFrom(LOADER_ENTRY['bwp-elements'])).has(id);
// The element code the loader imports, split by who needs it: the product elements' own code (both in one
// file, as a product page shows them together), the checkout's own, and what both share (Lit, the query).
let closures;
const used = (id) => {
  closures ??= ['delivery-badge', 'offer-summary', 'checkout-offers'].map((name) =>
    staticallyFrom(`src/components/${name}/define.ts`),
  );
  const [badge, summary, checkout] = closures.map((closure) => closure.has(id));
  return {product: badge || summary, checkout};
};
const productOnly = (id) => !inLoader(id) && used(id).product && !used(id).checkout;
const sharedByAll = (id) => !inLoader(id) && used(id).product && used(id).checkout;
await moduleBuild(
  LOADER_ENTRY,
  // Each element's code under its element's name, an optional feature's under its module's.
  (chunk) => `lazy/${chunk.facadeModuleId ? moduleName(chunk.facadeModuleId) : '[name]'}.[hash].js`,
  [recordGraph, loaderPreload, recordLazy],
  // The loader's own module in this group makes the group's chunk the loader's file.
  {
    groups: [
      {name: 'bwp-elements', test: inLoader},
      {name: 'core', test: sharedByAll},
      {name: 'product', test: productOnly},
    ],
  },
  // The loader's file may export more than the loader does: the data layer its element code imports.
  'allow-extension',
);
await moduleBuild(ELEMENT_ENTRIES, 'chunks/[name].[hash].js');

await build({
  ...shared,
  plugins: [...shared.plugins, staticImports],
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
  if (name in LOADER_ENTRY) {
    // The element code imports the versioned loader: a copy here would be a second loader, with a
    // client of its own, so the alias only points at it.
    writeFileSync(join(root, `${name}.js`), `export * from './v${version}/${entryFile(name)}';\n`);
    continue;
  }
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
  // The element code the loader imports when a tag appears.
  lazy,
  // The code an element imports only when one of its features is on (the summary's location-control).
  features,
  // Each element's files that the loader does not hold (its lazy file and what that imports): what a
  // page that knows its elements may `modulepreload` beside the loader (scripts/importmap.mjs).
  preload: Object.fromEntries(
    Object.entries(lazy).map(([name, file]) => {
      const loader = withImports(root, `v${version}/${entryFile('bwp-elements')}`);
      return [name, [...withImports(root, file)].filter((f) => !loader.has(f)).sort()];
    }),
  ),
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
