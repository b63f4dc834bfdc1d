// The top of a V8 CPU profile (`node --cpu-prof`, or `BENCH_CPU_PROF=<dir> npx tsx bench/run.ts proxy`), by
// self time: `npx tsx bench/profile-top.ts <file.cpuprofile> [rows]` prints functions, then packages.
import {readFileSync} from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: {functionName: string; url: string; lineNumber: number};
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a script comes from: its npm package, node's own internals, the project, or V8 (no script). */
export function packageOf(url: string): string {
  if (!url) return '(v8/native)';
  // Node's fetch is undici, bundled inside node:internal: worth its own line.
  if (url.startsWith('node:internal/deps/undici')) return 'undici (node fetch)';
  if (url.startsWith('node:internal/')) return `node:internal/${url.slice(14).split('/')[0]}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const at = url.lastIndexOf('/node_modules/');
  if (at >= 0) {
    const [scope, name] = url.slice(at + 14).split('/');
    return scope!.startsWith('@') ? `${scope}/${name}` : scope!;
  }
  const project = url.match(/\/(server|src|bench)\/.*$/);
  return project ? project[0].slice(1).split('/').slice(0, 2).join('/') : url;
}

export function profileTop(file: string, rows = 20) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    // Idle is the event loop waiting, not work.
    if (byId.get(id)!.callFrame.functionName === '(idle)') return;
    self.set(id, (self.get(id) ?? 0) + delta);
    total += delta;
  });
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  for (const [id, micros] of self) {
    const {functionName, url, lineNumber} = byId.get(id)!.callFrame;
    const where = url ? `${url.replace(/^.*\/(node_modules|wt\/[^/]+)\//, '')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + micros);
    packages.set(packageOf(url), (packages.get(packageOf(url)) ?? 0) + micros);
  }
  const print = (title: string, entries: Map<string, number>) => {
    console.log(`\n${title} (self time, ${(total / 1000).toFixed(0)} ms sampled)\n`);
    for (const [key, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, rows))
      console.log(`${((micros / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
  };
  print('By function', functions);
  print('By package', packages);
}

if (import.meta.url === `file://${process.argv[1]}`)
  profileTop(process.argv[2]!, Number(process.argv[3] ?? 20));
