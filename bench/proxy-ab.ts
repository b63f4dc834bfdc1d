// The proxy of another checkout against this one, beside the bare relay, in one run:
// `npx tsx bench/proxy-ab.ts <checkout dir>` (the other checkout needs bench/proxy-child.ts and node_modules).
// Each round loads the three in turn, the order rotating, at one rate (BENCH_AB_RATE, default 300 req/s,
// BENCH_AB_SECONDS per load, BENCH_AB_ROUNDS rounds), so a burst of load from elsewhere on a shared machine
// lands on each; CPU per request is each child's own process.cpuUsage over its load.
import {directBodies, directHeaders, proxyBodies, startChild, type Child} from './children.ts';
import {openLoad} from './open-load.ts';
import {printTable} from './report.ts';

const RATE = Number(process.env.BENCH_AB_RATE ?? 300);
const SECONDS = Number(process.env.BENCH_AB_SECONDS ?? 6);
const ROUNDS = Number(process.env.BENCH_AB_ROUNDS ?? 6);
const other = process.argv[2];
if (!other) {
  console.error('usage: npx tsx bench/proxy-ab.ts <checkout dir of the proxy to compare with>');
  process.exit(2);
}

type Stats = {cpuMicros: number};
// BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each child on exit, as in bench/proxy.ts.
const execArgv = process.env.BENCH_CPU_PROF
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
  : [];
const upstream = await startChild<Stats>('bench/proxy-child.ts', ['upstream']);
const children: Record<string, Child<Stats>> = {
  relay: await startChild<Stats>('bench/proxy-child.ts', ['relay', upstream.url], {execArgv}),
  other: await startChild<Stats>('bench/proxy-child.ts', ['proxy', upstream.url], {cwd: other, execArgv}),
  this: await startChild<Stats>('bench/proxy-child.ts', ['proxy', upstream.url], {execArgv}),
};
const load = (name: string, rate: number, seconds: number) =>
  name === 'relay'
    ? openLoad(`${children.relay!.url}/graphql`, rate, seconds, directBodies, directHeaders)
    : openLoad(`${children[name]!.url}/bwp/graphql`, rate, seconds, proxyBodies, {});

const names = Object.keys(children);
// Warm-up (JIT, sockets, the token), unmeasured.
for (const name of names) await load(name, RATE, 2);
const rows = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    const cpu: Record<string, number> = {};
    let errors = 0;
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length]!;
      const before = (await children[name]!.stats()).cpuMicros;
      const result = await load(name, RATE, SECONDS);
      cpu[name] = ((await children[name]!.stats()).cpuMicros - before) / result.requests;
      errors += result.errors;
    }
    rows.push({
      round: round + 1,
      'relay µs/req': Math.round(cpu.relay!),
      'other µs/req': Math.round(cpu.other!),
      'this µs/req': Math.round(cpu.this!),
      'other/relay': Math.round((cpu.other! / cpu.relay!) * 100) / 100,
      'this/relay': Math.round((cpu.this! / cpu.relay!) * 100) / 100,
      errors,
    });
  }
} finally {
  for (const child of [upstream, ...Object.values(children)]) child.process.kill('SIGTERM');
}
printTable(
  `CPU per request at ${RATE} req/s: the bare relay, the proxy of ${other} (other) and of this checkout (this)`,
  rows,
  ['round', 'relay µs/req', 'other µs/req', 'this µs/req', 'other/relay', 'this/relay', 'errors'],
);
