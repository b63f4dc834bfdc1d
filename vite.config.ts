import {defineConfig} from 'vite';

// A quick `vite build`: dist/cdn/bwp-elements.js (the loader) and the code it loads, for local e2e runs.
// `npm run build` (scripts/build.mjs) writes the full CDN set: versioned files, per-element entries,
// the classic script and manifest.json.
export default defineConfig({
  define: {'process.env.NODE_ENV': JSON.stringify('production')},
  build: {
    target: 'es2022',
    outDir: 'dist/cdn',
    emptyOutDir: false,
    copyPublicDir: false,
    lib: {
      entry: {'bwp-elements': 'src/cdn/loader.ts'},
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: {output: {minify: true, chunkFileNames: 'chunks/[name].[hash].js'}},
  },
});
