// Printing benchmark tables and writing bench/results/<name>.json, with its chart in docs/images/bench/<name>.svg.
import {mkdirSync, writeFileSync} from 'node:fs';
import {cpus} from 'node:os';
import {writeChart} from './chart.ts';

export function printTable<T extends object>(title: string, rows: T[], columns: Array<keyof T & string>) {
  const cell = (value: unknown) =>
    typeof value === 'number' ? (Number.isInteger(value) ? String(value) : value.toFixed(2)) : String(value);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) =>
    `| ${values.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(columns));
  console.log(
    `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
  );
  for (const row of rows) console.log(line(columns.map((c) => cell(row[c]))));
}

export function writeResult(name: string, data: unknown) {
  mkdirSync('bench/results', {recursive: true});
  const machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    node: process.version,
    date: new Date().toISOString(),
  };
  const result = {machine, ...(data as object)};
  writeFileSync(`bench/results/${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeChart(name, result);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}
