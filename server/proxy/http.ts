// HTTP hygiene of the proxy: allowed origins, Cache-Control and a capped body reader.
import {SHOPPER_TOKEN_HEADER} from '../../src/api/protocol.ts';
import {Refusal} from './errors.ts';

/** Headers the browser may send cross-origin (Access-Control-Allow-Headers). */
export const ALLOWED_HEADERS = `content-type, ${SHOPPER_TOKEN_HEADER}`;
/** Seconds a browser may cache a preflight: Chromium's cap (Firefox allows 86400). */
export const PREFLIGHT_MAX_AGE = 7200;

/**
 * Whether a browser origin may call the proxy: listed exactly (allowed or public origins), or the proxy's
 * own origin. Requests with no Origin (servers, curl) are not from a browser page and pass.
 *
 * The own origin is what the connection proves (`ownOrigins`: a Node socket's own address) when the mount
 * gives it, since a Node request URL is only the client's Host header, which a DNS-rebinding page chooses;
 * otherwise the request URL, which Workers and Lambda build from their own routing.
 */
export function originAllowed(
  origin: string | null,
  request: Request,
  allowed: ReadonlySet<string>,
  ownOrigins?: readonly string[],
): boolean {
  if (origin === null) return true;
  if (allowed.has(origin)) return true;
  if (ownOrigins) return ownOrigins.includes(origin);
  return origin === new URL(request.url).origin;
}

/** Everything in the response that says when it stops being true: every `expiresAt` string. */
export function earliestExpiry(value: unknown, depth = 0): number | undefined {
  if (depth > 32 || typeof value !== 'object' || value === null) return undefined;
  let earliest: number | undefined;
  // Every answer is walked whole: keys without entries arrays, and no call for a leaf that cannot hold one.
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    let time: number | undefined;
    if (key === 'expiresAt' && typeof item === 'string') {
      time = Date.parse(item);
      if (Number.isNaN(time)) time = -Infinity;
    } else if (typeof item === 'object' && item !== null) time = earliestExpiry(item, depth + 1);
    if (time !== undefined && (earliest === undefined || time < earliest)) earliest = time;
  }
  return earliest;
}

/**
 * Cache-Control for an answer: `private, no-store` when a shopper identity was used or anything failed;
 * otherwise `private, max-age` no longer than `maxAgeSeconds` and never past any expiresAt in it.
 */
export function cacheControl(options: {
  identity: boolean;
  failed: boolean;
  body: unknown;
  now: number;
  maxAgeSeconds: number;
}): string {
  if (options.identity || options.failed || options.maxAgeSeconds <= 0) return 'private, no-store';
  const expiry = earliestExpiry(options.body);
  const untilExpiry = expiry === undefined ? Infinity : Math.floor((expiry - options.now) / 1000) - 1;
  const maxAge = Math.min(options.maxAgeSeconds, untilExpiry);
  return maxAge > 0 ? `private, max-age=${maxAge}` : 'private, no-store';
}

// The rest of the body is never read, so the connection cannot be reused for another request.
const tooLarge = () => new Refusal(413, 'invalid_request', 'body_too_large', {connection: 'close'});

/**
 * The request body as text, refusing (413) as soon as it passes `maxBytes`: first by Content-Length,
 * without reading anything, then by counting streamed bytes and cancelling the stream.
 */
export async function readCappedBody(
  request: Request,
  maxBytes: number,
  onBytes: (bytes: number) => void,
): Promise<string> {
  const declared = request.headers.get('content-length');
  if (declared !== null && !(Number(declared) <= maxBytes)) {
    onBytes(0);
    throw tooLarge();
  }
  // Before `request.body`: on Node, asking for the stream is what builds it.
  if (declared !== null) {
    // Under the cap by its Content-Length, which frames it: HTTP delivers no byte past it, so the body is
    // read whole (on Node, @hono/node-server then reads the socket directly, without a web stream: a tenth
    // of the proxy's CPU per request). What came is still counted, for a Request made up in code.
    const bytes = new Uint8Array(await request.arrayBuffer());
    onBytes(bytes.byteLength);
    if (bytes.byteLength > maxBytes) throw tooLarge();
    return decodeUtf8(bytes);
  }
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const {done, value} = await reader.read();
    if (done) break;
    total += value.byteLength;
    onBytes(total);
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decodeUtf8(bytes);
}

const utf8 = new TextDecoder('utf-8', {fatal: true});

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new Refusal(400, 'invalid_request', 'malformed_json');
  }
}
