// Every relative link in the repository's Markdown resolves to a file inside the repository, and every
// `#anchor` to a heading of its target, so the docs can move without leaving a dead link behind.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join, relative, resolve, sep} from 'node:path';
import {describe, it} from 'node:test';

// Installed, built or generated trees: not the repository's own docs.
const SKIP = new Set(['node_modules', 'dist', '.git', 'test-results', 'screenshots']);

// Links inside fenced blocks and inline code are examples, not links (and fenced `#` lines are not headings).
const withoutFences = (text: string) => text.replace(/^(```|~~~)[\s\S]*?^\1/gm, '');
const withoutCode = (text: string) => withoutFences(text).replace(/`[^`\n]*`/g, '');

function markdownFiles(root: string, dir = root): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    if (entry.name.startsWith('.') || SKIP.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(root, path);
    return entry.isFile() && entry.name.endsWith('.md') ? [path] : [];
  });
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of withoutFences(text).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = slug(heading!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    result.add(n === 0 ? base : `${base}-${n}`);
  }
  return result;
}

/** The dead relative links of every Markdown file under root, as "file: target (why)". */
export function deadLinks(root: string): string[] {
  const dead: string[] = [];
  for (const file of markdownFiles(root)) {
    const text = readFileSync(file, 'utf8');
    const targets = [
      ...[...withoutCode(text).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
        (m) => m[1]!,
      ),
      ...[...withoutCode(text).matchAll(/<img\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!),
    ];
    for (const target of targets) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:: outside the file system
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const where = path ? resolve(dirname(file), decodeURIComponent(path)) : file;
      const name = `${relative(root, file)}: ${target}`;
      if (where !== root && !where.startsWith(root + sep)) dead.push(`${name} (outside the repository)`);
      else if (!existsSync(where)) dead.push(`${name} (no such file)`);
      else if (anchor && statSync(where).isFile() && where.endsWith('.md')) {
        if (!anchors(readFileSync(where, 'utf8')).has(anchor)) dead.push(`${name} (no such heading)`);
      }
    }
  }
  return dead;
}

describe('links between the docs', () => {
  it('has no dead relative link, anchor or link outside the repository in any Markdown file', () => {
    assert.deepEqual(deadLinks(process.cwd()), []);
  });

  it('reports a missing file, a missing heading and a link that leaves the repository', () => {
    const root = mkdtempSync(join(tmpdir(), 'bwp-docs-links-'));
    try {
      mkdirSync(join(root, 'docs'));
      writeFileSync(join(root, 'docs', 'a.md'), '# A\n\n## Run the proxy\n');
      writeFileSync(
        join(root, 'README.md'),
        [
          '[ok](docs/a.md#run-the-proxy) [web](https://example.com/x.md) `[code](nowhere.md)`',
          '[gone](docs/b.md) [heading](docs/a.md#run-the-sandbox) [out](../shared/DESIGN.md)',
          '![picture](docs/images/none.png)',
          '```',
          '[fenced](nowhere.md)',
          '```',
        ].join('\n'),
      );
      assert.deepEqual(deadLinks(root), [
        'README.md: docs/b.md (no such file)',
        'README.md: docs/a.md#run-the-sandbox (no such heading)',
        'README.md: ../shared/DESIGN.md (outside the repository)',
        'README.md: docs/images/none.png (no such file)',
      ]);
    } finally {
      rmSync(root, {recursive: true, force: true});
    }
  });

  it('makes anchors as GitHub does, code and punctuation dropped', () => {
    assert.equal(slug('`<bwp-checkout-offers>`'), 'bwp-checkout-offers');
    assert.equal(slug('Load from a CDN'), 'load-from-a-cdn');
    assert.equal(slug('States, events, freshness'), 'states-events-freshness');
  });
});
