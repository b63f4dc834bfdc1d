// `npm run docs:api`: the API tables of docs/api.md, generated from custom-elements.json (built by
// `npm run build:package`) between <!-- api:start --> and <!-- api:end -->.
// `node scripts/readme-api.mjs --check` changes nothing and fails when docs/api.md is out of date.
import {readFileSync, writeFileSync} from 'node:fs';
import {pathToFileURL} from 'node:url';
import * as prettier from 'prettier';
import {elementsOf, publicFields} from './package-data.mjs';

export const START = '<!-- api:start -->';
export const END = '<!-- api:end -->';
/** The one home of the generated tables; the README links to it. */
export const API_DOC = 'docs/api.md';
/** Most used first; any other element follows in manifest order. */
const ORDER = ['bwp-delivery-badge', 'bwp-offer-summary', 'bwp-checkout-offers', 'bwp-line-item'];

const cell = (text) =>
  String(text ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
const code = (text) => (text ? `\`${cell(text)}\`` : '');

function table(head, rows) {
  if (rows.length === 0) return [];
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
  ];
}

/** The markdown for one element. */
function elementDoc(el) {
  const fields = publicFields(el);
  const methods = (el.members ?? []).filter(
    (m) => m.kind === 'method' && !m.static && (m.privacy ?? 'public') === 'public',
  );
  const lines = [`### \`<${el.tagName}>\``, '', `${cell(el.description)} Class \`${el.name}\`.`, ''];
  lines.push(
    ...table(
      ['property', 'attribute', 'type', 'default', 'description'],
      fields.map((f) => [
        code(f.name),
        f.attribute ? `${code(f.attribute)}${f.reflects ? ' (reflected)' : ''}` : '',
        code(f.type?.text),
        code(f.default),
        cell(f.description),
      ]),
    ),
  );
  if (methods.length)
    lines.push(
      ...table(
        ['method', 'description'],
        methods.map((m) => [code(`${m.name}()`), cell(m.description)]),
      ),
    );
  lines.push(
    ...table(
      ['event', 'description'],
      (el.events ?? []).map((e) => [code(e.name), cell(e.description)]),
    ),
  );
  lines.push(
    ...table(
      ['slot', 'description'],
      (el.slots ?? []).map((s) => [s.name ? code(s.name) : '(default)', cell(s.description)]),
    ),
  );
  lines.push(
    ...table(
      ['CSS part', 'description'],
      (el.cssParts ?? []).map((p) => [code(p.name), cell(p.description)]),
    ),
  );
  lines.push(
    ...table(
      ['CSS custom property', 'description'],
      (el.cssProperties ?? []).map((p) => [code(p.name), cell(p.description)]),
    ),
  );
  return lines.join('\n');
}

/** The generated block, markers included. */
export function apiSection(manifest) {
  const rank = (tag) => (ORDER.includes(tag) ? ORDER.indexOf(tag) : ORDER.length);
  const elements = elementsOf(manifest).toSorted((a, b) => rank(a.tagName) - rank(b.tagName));
  return [
    START,
    '<!-- Generated from dist/npm/custom-elements.json by scripts/readme-api.mjs: edit the JSDoc, then run npm run docs:api. -->',
    '',
    ...elements.map(elementDoc),
    END,
  ].join('\n');
}

/** The API document with its API block replaced, formatted as Prettier would (npm run format:check runs on it). */
export async function renderReadme(readme, manifest, file = API_DOC) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file}: no ${START} … ${END} block`);
  const next = readme.slice(0, start) + apiSection(manifest) + readme.slice(end + END.length);
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(next, {...options, filepath: file});
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const check = process.argv.includes('--check');
  const manifestPath = 'dist/npm/custom-elements.json';
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    console.error(`readme-api: ${manifestPath} is missing; run npm run build:package first`);
    process.exit(1);
  }
  const readme = readFileSync(API_DOC, 'utf8');
  const next = await renderReadme(readme, manifest);
  if (check) {
    if (next !== readme) {
      console.error(`readme-api: the API tables in ${API_DOC} are out of date; run npm run docs:api`);
      process.exit(1);
    }
    console.log(`readme-api: ${API_DOC} API tables match custom-elements.json`);
  } else {
    writeFileSync(API_DOC, next);
    console.log(
      next === readme
        ? `readme-api: ${API_DOC} already up to date`
        : `readme-api: ${API_DOC} API tables updated`,
    );
  }
}
