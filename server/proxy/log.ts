// JSON-lines request logs: one line per request, built from proxy-made fields only (no secret, token or upstream body).

/** One request, as logged. Every field is made by the proxy; none is copied from a body or a header. */
export interface RequestLog {
  time: string;
  requestId: string;
  method: string;
  path: string;
  status: number;
  /** Total time in the proxy, in ms. */
  ms: number;
  /** Body bytes read (a refused oversized body shows how little of it was read). */
  bodyBytes?: number;
  operations?: number;
  documents?: string[];
  /** Error codes given to the browser, one per failed operation. */
  codes?: string[];
  reason?: string;
  identity?: boolean;
  /**
   * The limiter's key for the client, truncated (an IPv4 /24, an IPv6 /48) and a hash of the whole key, salted
   * per instance: enough to follow one abuser through the logs, not to name a shopper.
   */
  client?: string;
  /** The limiter's decisions for this request: upstream calls charged, and refused for being over budget. */
  limiter?: {charged: number; refused: number};
  upstream?: {calls: number; attempts: number; coalesced: number; ms: number};
}

export type Logger = (entry: RequestLog) => void;

/** Logs nothing (the default of createProxy; main.ts logs to stdout). */
export const silentLogger: Logger = () => undefined;

/**
 * One JSON object per line through `write`.
 * @example
 * createProxy({...options, logger: jsonLinesLogger((line) => process.stdout.write(line))});
 */
export function jsonLinesLogger(
  write: (line: string) => void = (line) => console.log(line.trimEnd()),
): Logger {
  return (entry) => write(`${JSON.stringify(entry)}\n`);
}

/** A request id from the caller's `x-request-id` when it is a plain short token, otherwise a new one. */
export function requestIdFor(request: Request): string {
  const given = request.headers.get('x-request-id');
  return given && /^[A-Za-z0-9._:-]{1,64}$/.test(given) ? given : crypto.randomUUID();
}
