// `npm run build:package`: the npm package in dist/npm/ (the CDN files are scripts/build.mjs).
//   *.js + *.d.ts           src/ compiled by tsc (tsconfig.build.json): ES2022 modules, .js imports
//   custom-elements.json    `cem analyze` (custom-elements-manifest.config.mjs) from the JSDoc
//   vscode.html-custom-data.json, vscode.css-custom-data.json, web-types.json   editor data from it
import {spawnSync} from 'node:child_process';
import {readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {elementsOf, vscodeCssData, vscodeHtmlData, webTypes} from './package-data.mjs';

const OUT = 'dist/npm';
const bin = (name) => join('node_modules', '.bin', name);

function run(command, args) {
  const result = spawnSync(command, args, {stdio: ['ignore', 'inherit', 'inherit']});
  if (result.status !== 0) {
    console.error(`package: ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

rmSync(OUT, {recursive: true, force: true});
run(bin('tsc'), ['-p', 'tsconfig.build.json']);
run(bin('cem'), ['analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet']);

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const manifest = JSON.parse(readFileSync(join(OUT, 'custom-elements.json'), 'utf8'));
const tags = elementsOf(manifest).map((el) => el.tagName);
const expected = ['bwp-checkout-offers', 'bwp-delivery-badge', 'bwp-line-item', 'bwp-offer-summary'];
if (tags.toSorted().join() !== expected.join()) {
  console.error(`package: custom-elements.json has tags [${tags}], expected [${expected}]`);
  process.exit(1);
}

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
writeFileSync(join(OUT, 'vscode.html-custom-data.json'), json(vscodeHtmlData(manifest)));
writeFileSync(join(OUT, 'vscode.css-custom-data.json'), json(vscodeCssData(manifest)));
writeFileSync(join(OUT, 'web-types.json'), json(webTypes(manifest, pkg)));

const files = readdirSync(OUT, {recursive: true})
  .map(String)
  .filter((f) => statSync(join(OUT, f)).isFile());
const bytes = files.reduce((sum, f) => sum + statSync(join(OUT, f)).size, 0);
console.log(
  `wrote ${OUT}/: ${files.length} files, ${(bytes / 1024).toFixed(1)} KiB; elements: ${tags.join(', ')}`,
);
