// Benchmark 1: raw / gzip / brotli of every CDN file, next to a Lit-only element and peers from npm, in one run.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {build} from 'vite';
// @ts-expect-error: plain .mjs helper shared with the build
import {compressedSizes, measure} from '../scripts/sizes.mjs';
import {printTable, writeResult} from './report.ts';

type Sizes = {raw: number; gzip: number; brotli: number};
const sizesOf = compressedSizes as (bytes: Buffer) => Sizes;

const PEERS = [
  {name: '@shopify/buy-button-js', version: '3.0.6', file: 'dist/buybutton.min.js'},
  {name: '@paypal/messaging-components', version: '1.83.0', file: 'dist/bizcomponents/js/messaging.js'},
  {name: '@primer-io/primer-js', version: '1.9.2', file: 'dist/primer-loader.js'},
];
const BUDGET = {all: 10 * 1024, badge: 7.5 * 1024};

function installPeers(dir: string) {
  mkdirSync(dir, {recursive: true});
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
  const missing = PEERS.filter((p) => !existsSync(join(dir, 'node_modules', p.name, p.file)));
  if (missing.length === 0) return;
  console.log(`installing peers into ${dir}: ${missing.map((p) => `${p.name}@${p.version}`).join(', ')}`);
  execFileSync(
    'npm',
    [
      'install',
      '--no-save',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      ...missing.map((p) => `${p.name}@${p.version}`),
    ],
    {cwd: dir, stdio: 'inherit'},
  );
}

async function litOnly(outDir: string): Promise<Sizes> {
  await build({
    configFile: false,
    logLevel: 'warn',
    define: {'process.env.NODE_ENV': JSON.stringify('production')},
    build: {
      target: 'es2022',
      outDir,
      emptyOutDir: true,
      lib: {
        entry: {'lit-only': 'bench/fixtures/lit-only.ts'},
        formats: ['es'],
        fileName: () => 'lit-only.js',
      },
      rolldownOptions: {output: {minify: true}},
    },
  });
  return sizesOf(readFileSync(join(outDir, 'lit-only.js')));
}

export async function runSize() {
  const manifest = JSON.parse(readFileSync('dist/cdn/manifest.json', 'utf8'));
  const ours = measure('dist/cdn', manifest) as {
    files: Array<{file: string} & Sizes>;
    entries: Array<{name: string} & Sizes>;
    pages: Array<{name: string} & Sizes>;
  };
  const peersDir = 'bench/.peers';
  installPeers(peersDir);
  const rows: Array<{what: string} & Sizes & {note: string}> = [];
  for (const entry of ours.entries)
    rows.push({what: `ours: ${entry.name} (with chunks)`, ...entry, note: ''});
  for (const page of ours.pages)
    rows.push({what: `ours: ${page.name} through bwp-elements`, ...page, note: 'loader + its elements'});
  rows.push({
    what: 'baseline: Lit-only badge',
    ...(await litOnly('bench/.out/lit-only')),
    note: 'lit + one element',
  });
  for (const peer of PEERS) {
    const bytes = readFileSync(join(peersDir, 'node_modules', peer.name, peer.file));
    rows.push({what: `peer: ${peer.name}@${peer.version}`, ...sizesOf(bytes), note: peer.file});
  }
  // bwp-elements is a loader now: all three elements in one file is the classic build.
  const all = ours.entries.find((e) => e.name === 'bwp-elements.classic')!;
  const badge = ours.entries.find((e) => e.name === 'bwp-delivery-badge')!;
  const targets = [
    {
      target: 'all three elements ≤ 10 KB brotli',
      value: all.brotli,
      limit: BUDGET.all,
      met: all.brotli <= BUDGET.all,
    },
    {
      target: 'badge entry ≤ 7.5 KB brotli',
      value: badge.brotli,
      limit: BUDGET.badge,
      met: badge.brotli <= BUDGET.badge,
    },
  ];
  printTable('Size (bytes; gzip -9, brotli q11, node:zlib)', rows, ['what', 'raw', 'gzip', 'brotli', 'note']);
  printTable('Size targets', targets, ['target', 'value', 'limit', 'met']);
  writeResult('size', {rows, files: ours.files, targets});
  return targets;
}
