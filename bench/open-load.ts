// An open-model load generator: requests leave on a fixed schedule whatever the server's speed, and each
// latency runs from its scheduled start, so a slow server cannot hide its queue (no coordinated omission).
import {Agent, request} from 'node:http';
import {percentile} from './report.ts';

export interface LoadResult {
  requests: number;
  /** Requests per second that completed, over the run. */
  rps: number;
  p50: number;
  p99: number;
  p999: number;
  errors: number;
}

export async function openLoad(
  url: string,
  rate: number,
  seconds: number,
  bodies: string[],
  headers: Record<string, string>,
): Promise<LoadResult> {
  const target = new URL(url);
  const agent = new Agent({keepAlive: true, maxSockets: 512});
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const send = (i: number, scheduled: number) =>
    new Promise<void>((resolve) => {
      const body = bodies[i % bodies.length]!;
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...headers,
          },
        },
        (res) => {
          if (res.statusCode !== 200) errors++;
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - scheduled);
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total;) {
    const now = performance.now();
    // Send every request whose time has come (several at once when the timer fired late).
    while (i < total && start + (i * 1000) / rate <= now) {
      pending.push(send(i, start + (i * 1000) / rate));
      i++;
    }
    if (i < total)
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + (i * 1000) / rate - now)));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    requests: total,
    rps: latencies.length / elapsed,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    p999: round(percentile(sorted, 99.9)),
    errors,
  };
}
