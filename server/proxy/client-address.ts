// The client behind the proxies in front of us: who may speak for the client, canonical addresses, limiter keys.
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Whom the proxy believes about the client's address: a hop count (that many proxies on loopback or
 * private networks), or a list of addresses, CIDRs and the words `loopback`, `linklocal`, `uniquelocal`.
 */
export type TrustedProxies = number | string | readonly string[];

/** Compiled `TrustedProxies`: whether the proxy at `depth` (0: the peer) is trusted, and how many hops at most. */
export interface TrustPolicy {
  trusts(address: Address, depth: number): boolean;
  readonly hops: number;
}

/** Stable error for a bad `BWP_TRUSTED_PROXIES` / `trustedProxies`: caught at startup, never per request. */
export class TrustedProxiesError extends Error {
  readonly code = 'invalid_trusted_proxies';
}

// The words of the contract, as ranges (proxy-addr's, which Express uses, for the same words).
const NAMED: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.1/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

// A hop count says how many proxies, not which: the nearest must at least be on our own network, so a
// client reaching the proxy directly over the internet cannot choose its address with X-Forwarded-For.
// Beyond it, the count is all there is (a CDN in front of a load balancer has public addresses).
const PRIVATE = [...NAMED.loopback!, ...NAMED.linklocal!, ...NAMED.uniquelocal!];

const MAX_HOPS = 10;

/**
 * Compiles the trusted proxies, throwing TrustedProxiesError for anything that is not an address, a CIDR,
 * one of the words or a hop count from 0 to 10.
 * @example
 * const policy = trustPolicy('loopback, 10.0.0.0/8');
 * const client = resolveClient({peer: '10.0.0.7', forwardedFor: '203.0.113.5'}, policy); // 203.0.113.5
 */
export function trustPolicy(value: TrustedProxies | undefined): TrustPolicy {
  if (value === undefined) return {trusts: () => false, hops: 0};
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined;
  if (text !== undefined && /^\s*\d+\s*$/.test(text)) {
    const hops = Number(text);
    if (hops > MAX_HOPS)
      throw new TrustedProxiesError(`trusted proxies: a hop count is at most ${MAX_HOPS}, not ${hops}`);
    const ranges = hops === 0 ? [] : PRIVATE.map(cidr);
    return {trusts: (address, depth) => depth > 0 || inRanges(address, ranges), hops};
  }
  const entries = (text === undefined ? (value as readonly string[]) : text.split(','))
    .map((entry) => entry.trim())
    .filter(Boolean);
  const ranges = entries.flatMap((entry) => {
    const named = NAMED[entry.toLowerCase()];
    if (named) return named.map(cidr);
    return [cidr(entry)];
  });
  return {trusts: (address) => inRanges(address, ranges), hops: ranges.length ? Infinity : 0};
}

function cidr(entry: string): [Address, number] {
  try {
    if (entry.includes('/')) {
      const [address, bits] = ipaddr.parseCIDR(entry);
      const canonical = canonicalAddress(address.toString());
      if (!canonical) throw new Error();
      // An IPv4-mapped range (::ffff:10.0.0.0/104) matches the IPv4 addresses it maps.
      return canonical.kind() === 'ipv4' && address.kind() === 'ipv6'
        ? [canonical, bits - 96]
        : [canonical, bits];
    }
    const address = canonicalAddress(entry);
    if (!address) throw new Error();
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  } catch {
    throw new TrustedProxiesError(
      `trusted proxies: "${entry}" is not a hop count, an address, a CIDR, loopback, linklocal or uniquelocal`,
    );
  }
}

function inRanges(address: Address, ranges: ReadonlyArray<[Address, number]>): boolean {
  return ranges.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
}

/**
 * A strictly valid IPv4 (four decimal parts) or IPv6 address, IPv4-mapped IPv6 unwrapped; undefined for
 * anything else (`:::::`, `127.1`, a host name). Accepts the `[v6]`, `[v6]:port` and `v4:port` spellings
 * some proxies write into X-Forwarded-For.
 */
export function canonicalAddress(value: string | null | undefined): Address | undefined {
  if (!value) return undefined;
  let text = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  else if (/^[\d.]+:\d{1,5}$/.test(text)) text = text.slice(0, text.indexOf(':'));
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (!text.includes(':') || !ipaddr.IPv6.isValid(text)) return undefined;
  const v6 = ipaddr.IPv6.parse(text);
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  // A zone (fe80::1%eth0) names a local interface, not a client.
  v6.zoneId = undefined;
  return v6;
}

/** An address in its one canonical text (RFC 5952 for IPv6), or undefined if it is not an address. */
export function normalizeIp(value: string | null | undefined): string | undefined {
  return canonicalAddress(value)?.toString();
}

/** What a platform knows about where a request came from. */
export interface ClientSource {
  /** The address of the connection's peer (the socket, or what the platform guarantees in its place). */
  peer?: string | null;
  /** X-Forwarded-For, as far as it can be believed beyond the peer. */
  forwardedFor?: string | null;
}

/**
 * The client's address: the peer, or, while the peer and each X-Forwarded-For entry to its left are
 * trusted proxies (at most `hops` of them), the entry that the outermost trusted proxy saw. Entries a
 * client wrote itself sit to the left of that and never win; an entry that is not an address ends the
 * walk at the last address that was.
 */
export function resolveClient(source: ClientSource, policy: TrustPolicy): Address | undefined {
  let client = canonicalAddress(source.peer);
  if (!client) return undefined;
  const forwarded = (source.forwardedFor ?? '').split(',').map((entry) => entry.trim());
  let hops = 0;
  while (hops < policy.hops && policy.trusts(client, hops) && forwarded.length > 0) {
    const entry = forwarded.pop()!;
    if (entry === '') continue;
    const next = canonicalAddress(entry);
    if (!next) break;
    client = next;
    hops++;
  }
  return client;
}

/** The limiter's key for requests whose client cannot be known: a budget of their own, never a shopper's. */
export const UNKNOWN_CLIENT = 'unknown';
/**
 * What each document of an unknown client costs: all of them share one budget, so it is kept to a tenth
 * of one client's. Refusing them outright would break server-side callers and local tools; giving each
 * its own budget would make hiding one's address the way round the limiter.
 */
export const UNKNOWN_CLIENT_COST = 10;

/**
 * The limiter's key for a client: an IPv4 address, or the /64 of an IPv6 address (one household or
 * one server gets a /64, and every address in it is free to use).
 */
export function clientKey(address: Address | undefined): string {
  if (!address) return UNKNOWN_CLIENT;
  if (address.kind() === 'ipv4') return address.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/64`).toString()}/64`;
}
