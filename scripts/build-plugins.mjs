// Plugins of the CDN build. minifyLiteralsPlugin shrinks the static text of Lit's `html`, `svg` and `css`
// templates in our own sources: the indentation that keeps them readable costs bytes in every CDN file.
//
// Only what cannot change the result is touched. HTML: each run of whitespace becomes one space, since
// the elements render no preformatted text (whitespace is collapsed on screen anyway). CSS: comments go,
// whitespace runs become one space, and the spaces around `{`, `}`, `;` and after `,` and `:` go (never
// before `:`, where `a :hover` and `a:hover` differ, nor around operators inside calc()). The text next to a
// `${…}` keeps one space, so an interpolation never joins the word beside it. Only ASCII whitespace:
// `\s` would also take a no-break space.
import {parseAst} from 'vite';

const SPACE = /[ \t\n\r\f]+/g;
const TAGS = new Set(['html', 'svg', 'css']);

const minifyHtml = (raw) => raw.replace(SPACE, ' ');

const minifyCss = (raw, first, last) => {
  let text = raw
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(SPACE, ' ')
    .replace(/ ?([{};]) ?/g, '$1')
    .replace(/([,:]) /g, '$1')
    .replace(/;}/g, '}');
  if (first) text = text.trimStart();
  if (last) text = text.trimEnd();
  return text;
};

/** Every tagged template of TAGS in the tree, innermost ones included. */
function* templates(node) {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) yield* templates(child);
    return;
  }
  if (node.type === 'TaggedTemplateExpression' && node.tag?.type === 'Identifier' && TAGS.has(node.tag.name))
    yield node;
  for (const key in node)
    if (key !== 'type' && node[key] && typeof node[key] === 'object') yield* templates(node[key]);
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const vlq = (n) => {
  let v = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = '';
  do {
    const digit = v & 31;
    v >>>= 5;
    out += BASE64[v ? digit | 32 : digit];
  } while (v);
  return out;
};
/** Source map `mappings` from [column, source, line, column] segments per line (one source here). */
function encode(lines) {
  let line = 0;
  let column = 0;
  return lines
    .map((segments) => {
      let generated = 0;
      return segments
        .map(([col, , l, c]) => {
          const text = vlq(col - generated) + vlq(0) + vlq(l - line) + vlq(c - column);
          [generated, line, column] = [col, l, c];
          return text;
        })
        .join(',');
    })
    .join(';');
}

/**
 * A source map for `edits` (sorted, not overlapping) applied to `code`: a segment at each token of the
 * text kept as it was, and one at the start of each replaced span.
 */
function editMap(code, edits, source) {
  const lines = [[]];
  let line = 0;
  let column = 0;
  // Line and column of each offset of the original, counted once.
  const starts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') starts.push(i + 1);
  const position = (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return [lo, offset - starts[lo]];
  };
  const emit = (offset) => lines[line].push([column, 0, ...position(offset)]);
  const copy = (text, from) => {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\n') {
        lines.push([]);
        line++;
        column = 0;
        continue;
      }
      if (!/\s/.test(ch) && (i === 0 || !/\w/.test(ch) || !/\w/.test(text[i - 1]))) emit(from + i);
      column++;
    }
  };
  let at = 0;
  for (const {start, end, text} of edits) {
    copy(code.slice(at, start), at);
    emit(start);
    for (const ch of text) {
      if (ch === '\n') {
        lines.push([]);
        line++;
        column = 0;
      } else column++;
    }
    at = end;
  }
  copy(code.slice(at), at);
  return {version: 3, sources: [source], sourcesContent: [code], names: [], mappings: encode(lines)};
}

/** The source with the static parts of its templates minified (positions as the parser gives them). */
export function minifyLiterals(code, lang = 'ts', source = '') {
  if (!/\b(?:html|svg|css)`/.test(code)) return null;
  const edits = [];
  for (const node of templates(parseAst(code, {lang}))) {
    const quasis = node.quasi.quasis;
    quasis.forEach((quasi, i) => {
      const {raw} = quasi.value;
      // A TemplateElement's span includes its delimiters (` or }); its raw text starts one past them.
      const start = quasi.start + 1;
      if (code.slice(start, start + raw.length) !== raw)
        throw new Error(`minify-literals: template text not where the parser says (offset ${start})`);
      const text =
        node.tag.name === 'css' ? minifyCss(raw, i === 0, i === quasis.length - 1) : minifyHtml(raw);
      if (text !== raw) edits.push({start, end: start + raw.length, text});
    });
  }
  if (!edits.length) return null;
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const {start, end, text} of edits) {
    out += code.slice(at, start) + text;
    at = end;
  }
  out += code.slice(at);
  return {code: out, map: editMap(code, edits, source)};
}

/** The Vite plugin: our sources only (never node_modules), before TypeScript is stripped. */
export const minifyLiteralsPlugin = {
  name: 'bwp-minify-literals',
  enforce: 'pre',
  transform(code, id) {
    if (id.includes('/node_modules/') || !/\.[cm]?[jt]s$/.test(id.split('?')[0])) return null;
    const file = id.split('?')[0];
    return minifyLiterals(code, /\.[cm]?ts$/.test(file) ? 'ts' : 'js', file);
  },
};

// For a build that must be one file (the classic script, the benchmark's single file): what the module
// builds import lazily (the summary's location control) it imports statically. Inlined as a lazy import,
// a module is wrapped to start on demand, and so is everything it imports, which costs more bytes than
// it saves.
export const staticImports = {
  name: 'bwp-static-imports',
  transform(code, id) {
    if (id.includes('/node_modules/') || !/\bimport\((['"])\.{1,2}\//.test(code)) return null;
    const imports = [];
    const out = code.replace(/\bimport\((['"])(\.{1,2}\/[^'"]+)\1\)/g, (_, _quote, path) => {
      const name = `__bwpStatic${imports.length}`;
      imports.push(`import * as ${name} from ${JSON.stringify(path)};`);
      return `Promise.resolve(${name})`;
    });
    return {code: `${imports.join('')}${out}`, map: null};
  },
};
