// `npm run build:proxy` (part of `npm run build`): the @bwp/proxy package in packages/proxy/dist/.
//   *.js + *.d.ts   server/proxy's entries (index, node, worker, lambda-main, bin) compiled by tsc
//                   (packages/proxy/tsconfig.json) with what they import: server/operations and
//                   src/api/protocol.ts, laid out as in the repository. No sandbox, no browser code.
import {spawnSync} from 'node:child_process';
import {chmodSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

const PACKAGE = 'packages/proxy';
const OUT = join(PACKAGE, 'dist');

rmSync(OUT, {recursive: true, force: true});
const result = spawnSync(join('node_modules', '.bin', 'tsc'), ['-p', join(PACKAGE, 'tsconfig.json')], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (result.status !== 0) {
  console.error(`package-proxy: tsc failed (exit ${result.status ?? result.signal})`);
  process.exit(1);
}

const files = readdirSync(OUT, {recursive: true})
  .map(String)
  .filter((f) => statSync(join(OUT, f)).isFile());
// tsc rewrites `./x.ts` to `./x.js` in the JavaScript it emits (rewriteRelativeImportExtensions), not in
// the declarations; a consumer's TypeScript resolves the .js specifier to the .d.ts beside it.
for (const file of files.filter((f) => f.endsWith('.d.ts'))) {
  const path = join(OUT, file);
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, text.replace(/((?:from|import\()\s*['"]\.{1,2}\/[^'"]*)\.ts(['"])/g, '$1.js$2'));
}
const sandboxed = files.filter((f) => /(^|\/)(sandbox|components|cdn)\//.test(f));
if (sandboxed.length) {
  console.error(`package-proxy: ${sandboxed.join(', ')} must not be in the proxy package`);
  process.exit(1);
}
const {bin} = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8'));
for (const target of Object.values(bin)) chmodSync(join(PACKAGE, target), 0o755);

const bytes = files.reduce((sum, f) => sum + statSync(join(OUT, f)).size, 0);
console.log(`wrote ${OUT}/: ${files.length} files, ${(bytes / 1024).toFixed(1)} KiB`);
