import {defineConfig} from 'vite';

// CDN build: one fully minified ES module that defines every element; lit and @lit/task bundled in.
// Legacy decorators (tsconfig) are lowered by Oxc; standard ones would pass through unlowered.
export default defineConfig({
  define: {'process.env.NODE_ENV': JSON.stringify('production')},
  build: {
    target: 'es2022',
    outDir: 'dist/cdn',
    emptyOutDir: true,
    sourcemap: true,
    copyPublicDir: false,
    lib: {
      entry: {'bwp-elements': 'src/define.ts'},
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: {output: {minify: true}},
  },
});
