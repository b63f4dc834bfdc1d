// The benchmark charts (bench/chart.ts): the SVG drawn beside each result in bench/results/.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {chartSvg, panelsOf} from '../../bench/chart.ts';

const bars = (svg: string) =>
  [...svg.matchAll(/<title>([^<]*)<\/title>.*?<rect [^>]*width="(\d+)"/g)].map((m) => ({
    title: m[1]!,
    width: Number(m[2]),
  }));

describe('benchmark charts', () => {
  it('draws one bar per row for each numeric column, as long as its value against the largest', () => {
    const svg = chartSvg('grid', {
      machine: {cpus: 2, date: '2026-11-22T11:34:45.310Z'},
      rows: [
        {grid: '24 badges', page: 'ours', 'median ms': 220, 'p95 ms': 300},
        {grid: '24 badges', page: 'one per badge', 'median ms': 330, 'p95 ms': 600},
      ],
    })!;
    assert.deepEqual(bars(svg), [
      {title: '24 badges · ours: 220', width: 220},
      {title: '24 badges · one per badge: 330', width: 330},
      {title: '24 badges · ours: 300', width: 165},
      {title: '24 badges · one per badge: 600', width: 330},
    ]);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="760" height="\d+"/);
    assert.match(svg, />npm run bench -- grid · 2026-11-22 · 2 cores</);
    assert.match(svg, />rows: median ms</);
  });

  it('leaves out text columns, columns with one value in every row, targets and samples', () => {
    const panels = panelsOf('rows', [
      {page: 'ours', runs: 30, median: 120.5, note: 'a', 'CLS (max)': '0.000'},
      {page: 'floor', runs: 30, median: 87, note: 'b', 'CLS (max)': '0.000'},
    ]);
    assert.deepEqual(
      panels.map((p) => p.title),
      ['rows: median'],
    );
    assert.equal(
      chartSvg('x', {targets: [{target: 'a', value: 1, limit: 2}], samples: {ours: [1, 2]}}),
      null,
    );
  });

  it('escapes what the rows say, and cuts a long label but keeps it whole in the tooltip', () => {
    const label = 'loader, pinned (v<version>/bwp-elements.<hash>.js) & "alias"';
    const svg = chartSvg('loader', {
      times: [
        {page: label, median: 302},
        {page: 'floor', median: 155},
      ],
    })!;
    assert.ok(!svg.includes('<version>'), 'no raw markup from a label');
    assert.ok(
      svg.includes(
        '<title>loader, pinned (v&lt;version&gt;/bwp-elements.&lt;hash&gt;.js) &amp; &quot;alias&quot;: 302</title>',
      ),
    );
    assert.match(svg, /text-anchor="end">loader, pinned \(v&lt;version&gt;\/bwp-elements\.&lt;hash…</);
  });
});
