import {defineConfig} from 'vite';

// A quick `vite build`: only dist/cdn/bwp-elements.js (all elements, one file), for local e2e runs.
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
      entry: {'bwp-elements': 'src/cdn/all.ts'},
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: {output: {minify: true}},
  },
});
