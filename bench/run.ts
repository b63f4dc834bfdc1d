// `npm run bench`: every benchmark beside its baseline, in one run; tables on stdout, JSON in bench/results/.
// `npm run bench -- size` runs only the named ones.
import {runCircuit} from './circuit.ts';
import {runGrid} from './grid.ts';
import {runLoader} from './loader.ts';
import {runMainThread} from './main-thread.ts';
import {runMemory} from './memory.ts';
import {runProxy} from './proxy.ts';
import {runProxyRedis} from './proxy-redis.ts';
import {runProxyCpu} from './proxy-cpu.ts';
import {runSize} from './size.ts';
import {runTimeToBadge} from './time-to-badge.ts';

const BENCHMARKS: Record<string, () => Promise<unknown>> = {
  size: runSize,
  'time-to-badge': runTimeToBadge,
  loader: runLoader,
  grid: runGrid,
  'main-thread': runMainThread,
  memory: runMemory,
  proxy: runProxy,
  circuit: runCircuit,
  'proxy-redis': runProxyRedis,
  'proxy-cpu': runProxyCpu,
};

const wanted = process.argv.slice(2).filter((name) => name in BENCHMARKS);
for (const name of wanted.length ? wanted : Object.keys(BENCHMARKS)) {
  console.log(`\n=== ${name}`);
  await BENCHMARKS[name]!();
}
