// The build's template minifier (scripts/build-plugins.mjs): what it shrinks, and what it must leave alone.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
// @ts-expect-error: plain .mjs build helper, no declarations
import {minifyLiterals} from '../../scripts/build-plugins.mjs';

const minify = (code: string): string | undefined =>
  (minifyLiterals(code, 'ts') as {code: string} | null)?.code;

/** Absolute [generated column, source, line, column] segments per output line, from base64 VLQ. */
function decodeMappings(mappings: string): number[][][] {
  const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const state = [0, 0, 0, 0];
  return mappings.split(';').map((line) => {
    state[0] = 0;
    return line
      .split(',')
      .filter(Boolean)
      .map((segment) => {
        const values: number[] = [];
        let value = 0;
        let shift = 0;
        for (const char of segment) {
          const digit = BASE64.indexOf(char);
          value += (digit & 31) << shift;
          shift += 5;
          if (!(digit & 32)) {
            values.push(value & 1 ? -(value >>> 1) : value >>> 1);
            value = shift = 0;
          }
        }
        return values.map((delta, i) => (state[i]! += delta));
      });
  });
}

describe('minifyLiterals shrinks the static text of html, svg and css templates', () => {
  it('drops CSS comments and the spaces around braces, semicolons, commas and after colons', () => {
    const source =
      'const s = css`\n  /* why */\n  :host {\n    color: var(--a, red);\n  }\n  a :hover {\n    inline-size: calc(1em + 2px);\n  }\n`;';
    assert.equal(
      minify(source),
      'const s = css`:host{color:var(--a,red)}a :hover{inline-size:calc(1em + 2px)}`;',
    );
  });

  it('keeps one space beside an interpolation, so it never joins the word next to it', () => {
    const source = 'const s = css`\n  .a {\n    margin: ${gap}  0;\n  }\n`;';
    assert.equal(minify(source), 'const s = css`.a{margin:${gap} 0}`;');
  });

  it('collapses each run of HTML whitespace to one space, in nested templates too, and nothing more', () => {
    const source = 'const t = html`<p>\n    a   ${x ? html`<b>\n  bold</b>` : nothing}\n  </p>`;';
    assert.equal(minify(source), 'const t = html`<p> a ${x ? html`<b> bold</b>` : nothing} </p>`;');
  });

  it('leaves a no-break space, untagged templates and other tags alone', () => {
    const source = 'const t = html`a\u00a0\u00a0b`; const u = `x\n   y`; const v = sql`a\n   b`;';
    assert.equal(minify(source), undefined);
  });

  it('maps the code after a shortened template back to its original line and column', () => {
    const source = 'const t = html`<p>\n     hi\n  </p>`;\nconst after = 1;\n';
    const result = minifyLiterals(source, 'ts', 'x.ts') as {code: string; map: {mappings: string}};
    assert.equal(result.code, 'const t = html`<p> hi </p>`;\nconst after = 1;\n');
    const [, second] = decodeMappings(result.map.mappings);
    // `const after` is on the output's second line and the source's fourth (index 3).
    assert.deepEqual(second![0], [0, 0, 3, 0]);
    // `after` itself: column 6 in both.
    assert.ok(second!.some(([generated, , line, column]) => generated === 6 && line === 3 && column === 6));
  });
});
