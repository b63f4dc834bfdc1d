// What the proxy benchmarks share: a benchmark child process (an upstream or a proxy on a free port) and the
// distinct product requests they send.
import {fork, type ChildProcess} from 'node:child_process';
import {PRODUCT_OFFERS, renderDocument} from '../server/operations/documents.ts';

/** A child that said its URL; `stats()` asks it for its figures (what they are depends on the child). */
export interface Child<S = unknown> {
  process: ChildProcess;
  url: string;
  stats(): Promise<S>;
}

/** Forks `script` (under tsx, in `cwd`) and resolves once it says its URL; rejects if it exits first. */
export function startChild<S = unknown>(
  script: string,
  args: string[],
  options: {cwd?: string; execArgv?: string[]} = {},
): Promise<Child<S>> {
  const child = fork(script, args, {
    cwd: options.cwd,
    execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} ${args[0]} exited with ${code}`)));
    child.once('message', (message: {url: string}) =>
      resolve({
        process: child,
        url: message.url,
        stats: () =>
          new Promise((done) => {
            child.once('message', done as never);
            child.send('stats');
          }),
      }),
    );
  });
}

export const SKUS = ['example-sku-1', 'example-sku-2', 'TEE-NAVY-M', 'TEE-NAVY-XXL'];

/** Fifty distinct product requests (SKU × quantity), so coalescing does not flatter the proxy. */
export const lineItems = (i: number) => [
  {product: {identifier: {sku: SKUS[i % SKUS.length]}}, amount: {unit: 'ONE', value: 1 + (i % 50)}},
];

/** The same fifty requests as the API takes them directly (the document rendered, the client's IP set)… */
export const directBodies = Array.from({length: 50}, (_, i) =>
  JSON.stringify(
    renderDocument(PRODUCT_OFFERS, {lineItems: lineItems(i), location: {ipAddress: '127.0.0.1'}}),
  ),
);
/** …and with the headers the benchmark upstream expects of a direct call, */
export const directHeaders = {authorization: 'Bearer bench', 'x-api-target-id': 'sandbox-target'};
/** …and as the browser sends them to the proxy (a document id and variables). */
export const proxyBodies = Array.from({length: 50}, (_, i) =>
  JSON.stringify({documentId: PRODUCT_OFFERS.id, variables: {lineItems: lineItems(i)}}),
);
