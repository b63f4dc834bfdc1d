// A benchmark's results as a dependency-free SVG bar chart, written beside its JSON
// (docs/images/bench/<name>.svg, so the docs link only inside docs/) and shown in docs/benchmarks.md. `tsx bench/chart.ts` redraws every
// chart from the JSON already in bench/results/, without running a benchmark.
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {pathToFileURL} from 'node:url';

type Row = Record<string, unknown>;
interface Panel {
  title: string;
  labels: string[];
  values: number[];
}

const WIDTH = 760;
const LABEL_WIDTH = 330;
const BAR_WIDTH = 330;
const ROW_HEIGHT = 18;
// Characters of a row label that fit LABEL_WIDTH at 12 px; longer ones are cut, whole in the tooltip.
const MAX_LABEL = 46;
// Targets compare each row with its own limit, in its own unit: a table says that better than bars.
const NOT_DRAWN = new Set(['machine', 'targets', 'samples']);

const escapeXml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;'})[c]!,
  );

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function formatValue(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', {maximumFractionDigits: Math.abs(value) < 10 ? 2 : 1});
}

/** The tables of a result: every array of row objects in it (rows, bytes, times, targets, …). */
function tablesOf(data: Row): Array<[string, Row[]]> {
  return Object.entries(data).filter(
    (entry): entry is [string, Row[]] =>
      !NOT_DRAWN.has(entry[0]) &&
      Array.isArray(entry[1]) &&
      entry[1].length > 0 &&
      entry[1].every((row) => typeof row === 'object' && row !== null && !Array.isArray(row)),
  );
}

/** One panel per numeric column that says something (not the same value in every row). */
export function panelsOf(table: string, rows: Row[]): Panel[] {
  const keys = Object.keys(rows[0]!);
  const first = keys[0]!;
  // A row is named by its first column, and by the next text column when the first repeats (grid: "24 badges").
  const second = keys.find((k) => k !== first && rows.every((r) => typeof r[k] === 'string'));
  const unique = new Set(rows.map((r) => String(r[first]))).size === rows.length;
  const labels = rows.map((r) =>
    unique || !second ? String(r[first]) : `${String(r[first])} · ${String(r[second])}`,
  );
  return keys
    .filter((k) => k !== first && rows.every((r) => isNumber(r[k])))
    .filter((k) => new Set(rows.map((r) => r[k])).size > 1)
    .map((k) => ({title: `${table}: ${k}`, labels, values: rows.map((r) => r[k] as number)}));
}

function panelSvg(panel: Panel, top: number): {svg: string; height: number} {
  const max = Math.max(...panel.values.map(Math.abs), Number.MIN_VALUE);
  const lines = [`<text x="8" y="${top + 14}" font-weight="bold">${escapeXml(panel.title)}</text>`];
  panel.labels.forEach((label, i) => {
    const y = top + 22 + i * ROW_HEIGHT;
    const value = panel.values[i]!;
    const width = Math.max(value === 0 ? 0 : 1, Math.round((Math.abs(value) / max) * BAR_WIDTH));
    const shown = label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
    lines.push(
      `<g><title>${escapeXml(`${label}: ${formatValue(value)}`)}</title>` +
        `<text x="${LABEL_WIDTH - 6}" y="${y + 12}" text-anchor="end">${escapeXml(shown)}</text>` +
        `<rect x="${LABEL_WIDTH}" y="${y + 2}" width="${width}" height="${ROW_HEIGHT - 5}" fill="${value < 0 ? '#c0504d' : '#3b6fc4'}"/>` +
        `<text x="${LABEL_WIDTH + width + 4}" y="${y + 12}">${formatValue(value)}</text></g>`,
    );
  });
  return {svg: lines.join('\n'), height: 22 + panel.labels.length * ROW_HEIGHT + 12};
}

/** The SVG of a benchmark result, or null when it has no numeric table to draw. */
export function chartSvg(name: string, data: Row): string | null {
  const panels = tablesOf(data).flatMap(([table, rows]) => panelsOf(table, rows));
  if (panels.length === 0) return null;
  let top = 30;
  const parts: string[] = [];
  for (const panel of panels) {
    const {svg, height} = panelSvg(panel, top);
    parts.push(svg);
    top += height;
  }
  const machine = data.machine as {cpus?: number; node?: string; date?: string} | undefined;
  const caption = [
    `npm run bench -- ${name}`,
    machine?.date?.slice(0, 10),
    machine?.cpus && `${machine.cpus} cores`,
  ]
    .filter(Boolean)
    .join(' · ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${top}" viewBox="0 0 ${WIDTH} ${top}" font-family="system-ui, sans-serif" font-size="12" fill="#222">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="8" y="18" font-size="14" font-weight="bold">${escapeXml(caption)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

/** Writes docs/images/bench/<name>.svg for bench/results/<name>.json; returns the path, or null when nothing is drawn. */
export function writeChart(name: string, data: Row): string | null {
  const svg = chartSvg(name, data);
  if (svg === null) return null;
  const path = `docs/images/bench/${name}.svg`;
  writeFileSync(path, svg);
  return path;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const file of readdirSync('bench/results').filter((f) => f.endsWith('.json'))) {
    const name = file.slice(0, -'.json'.length);
    const path = writeChart(name, JSON.parse(readFileSync(`bench/results/${file}`, 'utf8')) as Row);
    console.log(path ? `wrote ${path}` : `${file}: no numeric table`);
  }
}
