// Fault injection for tests and demos: latency, throttling, 5xx, malformed bodies and dropped connections.
import {errorEnvelope, internalError, throttled} from './errors.ts';

export interface Fault {
  /** Wait this long before answering. */
  latencyMs?: number;
  /** Answer with this 5xx status and an InternalServerError envelope. */
  status?: number;
  /** Answer 200 with a truncated JSON body. */
  malformed?: boolean;
  /** Send the headers, then drop the connection: the client sees a network error. */
  drop?: boolean;
  /** Answer a ThrottlingError as if the rate limit were reached. */
  throttle?: boolean;
  /** The route it applies to (default graphql). */
  on?: 'graphql' | 'token' | 'all';
}

/** Faults for every request, or chosen per request (called for /token and /graphql requests alike). */
export type FaultOption = Fault | ((request: Request) => Fault | undefined);

/** Request header that injects a fault when the sandbox allows it (allowFaultHeaders). */
export const FAULT_HEADER = 'x-sandbox-fault';

/** `status=503, latency=300`, `malformed`, `drop`, `throttle`: comma-separated; unknown parts are refused. */
export function parseFaultHeader(value: string): Fault {
  const fault: Fault = {on: 'all'};
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, raw] = part.split('=').map((p) => p.trim());
    const number = Number(raw);
    if (name === 'status' && Number.isInteger(number) && number >= 500 && number <= 599)
      fault.status = number;
    else if (name === 'latency' && Number.isInteger(number) && number >= 0 && number <= 30_000)
      fault.latencyMs = number;
    else if (name === 'malformed' && raw === undefined) fault.malformed = true;
    else if (name === 'drop' && raw === undefined) fault.drop = true;
    else if (name === 'throttle' && raw === undefined) fault.throttle = true;
    else
      throw new RangeError(
        `Unknown fault "${part}": use status=5xx, latency=ms, malformed, drop or throttle`,
      );
  }
  return fault;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A body that fails after the headers went out: Node's server then destroys the socket mid-response. */
function droppedBody(): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull: (controller) =>
      sleep(1).then(() => controller.error(new Error('sandbox fault: connection dropped'))),
  });
}

export const json = (body: unknown, status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {status, headers: {'content-type': 'application/json', ...headers}});

export const throttledResponse = (retryAfterSeconds: number) =>
  json(errorEnvelope(throttled()), 429, {'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds)))});

/** The response a fault replaces the real one with, after its latency; undefined lets the request through. */
export async function applyFault(
  fault: Fault | undefined,
  route: 'graphql' | 'token',
): Promise<Response | undefined> {
  if (!fault || ((fault.on ?? 'graphql') !== 'all' && (fault.on ?? 'graphql') !== route)) return undefined;
  if (fault.latencyMs) await sleep(fault.latencyMs);
  if (fault.drop) {
    return new Response(droppedBody(), {status: 200, headers: {'content-type': 'application/json'}});
  }
  if (fault.malformed) {
    return new Response('{"data":{"offers":{"edges":[{"node":{"id":"OFFER-', {
      status: 200,
      headers: {'content-type': 'application/json'},
    });
  }
  if (fault.status) return json(errorEnvelope(internalError()), fault.status);
  if (fault.throttle) return throttledResponse(1);
  return undefined;
}

/**
 * A sliding-window rate limit: more than `limit` requests within `windowMs` get a ThrottlingError.
 * It runs on the real clock (Date.now by default), not on the sandbox's business clock, which may be frozen.
 */
export function createThrottle(limit: number, windowMs: number, clock: () => number = Date.now) {
  const times: number[] = [];
  return {
    /** Seconds until a slot frees, or 0 when this request may go through (and is counted). */
    take(): number {
      const at = clock();
      while (times.length && times[0]! <= at - windowMs) times.shift();
      if (times.length >= limit) return (times[0]! + windowMs - at) / 1000;
      times.push(at);
      return 0;
    },
  };
}
