import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, it} from 'node:test';
// @ts-expect-error: plain .mjs helper shared with the build, no declarations
import {measure} from '../../scripts/sizes.mjs';

const budget: Record<string, number> = JSON.parse(readFileSync('scripts/size-budget.json', 'utf8'));
const manifest = JSON.parse(readFileSync('dist/cdn/manifest.json', 'utf8'));
const measured = measure('dist/cdn', manifest) as Record<
  'entries' | 'pages',
  Array<{name: string; brotli: number}>
>;
// The entries, and the pages that load through the one tag (the loader and the elements they have).
const entries = [...measured.entries, ...measured.pages];

describe('size budget of the CDN files (brotli, chunks included)', () => {
  it('has a budget for every entry the build writes and every page measured, and no stale one', () => {
    const names = Object.keys(budget).filter((name) => name !== '//');
    assert.deepEqual(names.sort(), entries.map((entry) => entry.name).sort());
  });

  for (const entry of entries) {
    it(`${entry.name} stays within ${budget[entry.name]} bytes`, () => {
      assert.ok(
        entry.brotli <= budget[entry.name]!,
        `${entry.name} is ${entry.brotli} B brotli, over its budget of ${budget[entry.name]} B (scripts/size-budget.json)`,
      );
    });
  }
});
