/**
 * Which webhook targets the server may call (server-side request forgery guard).
 *
 * By default only public unicast addresses: loopback, private (10/8, 172.16/12, 192.168/16),
 * link-local (169.254/16 — cloud metadata — and fe80::/10), unique-local (fc00::/7), CGNAT
 * (100.64/10), multicast, unspecified, reserved and the IPv6 forms embedding IPv4 (mapped,
 * compatible, NAT64, 6to4, Teredo) are refused,
 * as is every scheme other than http(s). An internal portal is let through only by the
 * operator's allow-list (WEBHOOK_ALLOW_HOSTS: host names, addresses or CIDR ranges).
 *
 * The address is checked when a subscription is saved (a clear 422) and again on every
 * connection: the HTTP agent resolves the name through `guardedLookup`, so the address
 * connected to is the address checked (a name re-pointed to 127.0.0.1 after saving — DNS
 * rebinding — is refused at delivery).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** One allow-list entry: a host name (exact, case-insensitive), or an address range. */
export type AllowEntry = { kind: 'host'; host: string } | { kind: 'range'; range: [ipaddr.IPv4 | ipaddr.IPv6, number] };

/** Parses WEBHOOK_ALLOW_HOSTS entries; throws with the entry that is not a host name, address or CIDR range. */
export function parseAllowList(entries: readonly string[]): AllowEntry[] {
  return entries.map((raw) => raw.trim()).filter((e) => e.length > 0).map((e): AllowEntry => {
    if (e.includes('/')) {
      try {
        return { kind: 'range', range: ipaddr.parseCIDR(e) };
      } catch {
        throw new Error(`"${e}" is not a CIDR range`);
      }
    }
    const bare = e.replace(/^\[(.*)\]$/, '$1');
    if (ipaddr.isValid(bare)) {
      const a = ipaddr.parse(bare);
      return { kind: 'range', range: [a, a.kind() === 'ipv4' ? 32 : 128] };
    }
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(e)) throw new Error(`"${e}" is not a host name, address or CIDR range`);
    return { kind: 'host', host: e.toLowerCase() };
  });
}

/** Why an address is refused, or null when it may be called. */
export function refusedAddress(address: string, allow: readonly AllowEntry[]): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  let a = ipaddr.parse(address);
  if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) a = (a as ipaddr.IPv6).toIPv4Address();
  for (const entry of allow) {
    if (entry.kind === 'range' && entry.range[0].kind() === a.kind() && a.match(entry.range)) return null;
  }
  const range = a.range();
  // IPv4-compatible (::a.b.c.d, RFC 4291 §2.5.5.1, deprecated): ipaddr.js calls ::7f00:1 plain
  // unicast, yet a stack that still routes ::/96 (a sit tunnel) carries it to the IPv4 address inside.
  if (range === 'unicast' && a.kind() === 'ipv6' && (a as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0)) return 'ipv4Compatible';
  return range === 'unicast' ? null : range;
}

const hostAllowed = (host: string, allow: readonly AllowEntry[]): boolean =>
  allow.some((e) => e.kind === 'host' && e.host === host.toLowerCase());

/** A refused target, with a bilingual reason (for the 422 and the delivery log). */
export class RefusedTarget extends Error {
  constructor(readonly vi: string, readonly en: string) {
    super(en);
    this.name = 'RefusedTarget';
  }
}

const refusal = (host: string, address: string, range: string): RefusedTarget => new RefusedTarget(
  `Không gọi "${host}" (${address}): địa chỉ thuộc vùng ${range} (nội bộ); thêm vào WEBHOOK_ALLOW_HOSTS nếu đây là cổng nội bộ được phép`,
  `Refused to call "${host}" (${address}): a ${range} address; list it in WEBHOOK_ALLOW_HOSTS if it is an allowed internal portal`,
);

/** Name resolution as node:dns `lookup` with `all: true` (tests inject their own). */
export type Resolver = (host: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (host) => new Promise((ok, fail) => {
  dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? fail(err) : ok(addresses)));
});

/** The URL's host name without IPv6 brackets. */
const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Checks a target URL as a subscription is saved: scheme, literal addresses and what the
 * name resolves to now. A name that does not resolve now is accepted (the portal may not be
 * published yet); the connection-time check still applies to it.
 */
export async function checkTarget(url: URL, allow: readonly AllowEntry[], resolve: Resolver = systemResolver): Promise<void> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RefusedTarget(`Chỉ gọi được địa chỉ http(s), không phải "${url.protocol}"`, `Only http(s) targets are called, not "${url.protocol}"`);
  }
  if (url.username || url.password) {
    throw new RefusedTarget('Địa chỉ không được chứa tên đăng nhập hay mật khẩu', 'The URL may not carry a user name or password');
  }
  const host = hostOf(url);
  if (hostAllowed(host, allow)) return;
  if (isIP(host)) {
    const why = refusedAddress(host, allow);
    if (why) throw refusal(host, host, why);
    return;
  }
  // Names of this machine by definition (RFC 6761), refused even where the resolver at hand
  // does not know them (a trailing dot, a subdomain): another resolver at delivery may.
  if (/(?:^|\.)localhost\.?$/i.test(host)) {
    throw new RefusedTarget(`"${host}" là tên của chính máy chủ (loopback), không được gọi`, `"${host}" names this machine (loopback) and is never called`);
  }
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(host);
  } catch {
    return;
  }
  for (const a of addresses) {
    const why = refusedAddress(a.address, allow);
    if (why) throw refusal(host, a.address, why);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request: resolves the name, refuses it when any of its addresses is
 * refused (an attacker's name may carry one public and one private address), and hands the
 * checked addresses to the socket. Literal addresses never reach a lookup: check them first.
 */
export function guardedLookup(allow: readonly AllowEntry[], resolve: Resolver = systemResolver) {
  return (host: string, options: { all?: boolean } | number, callback: LookupCallback): void => {
    const all = typeof options === 'object' && options?.all === true;
    resolve(host).then((addresses) => {
      if (!hostAllowed(host, allow)) {
        for (const a of addresses) {
          const why = refusedAddress(a.address, allow);
          if (why) throw refusal(host, a.address, why);
        }
      }
      if (addresses.length === 0) throw Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' });
      if (all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    }).catch((err: NodeJS.ErrnoException) => callback(err, all ? [] : ''));
  };
}

/** The connection-time check of a literal address (no lookup happens for it). */
export function checkLiteral(url: URL, allow: readonly AllowEntry[]): void {
  const host = hostOf(url);
  if (!isIP(host) || hostAllowed(host, allow)) return;
  const why = refusedAddress(host, allow);
  if (why) throw refusal(host, host, why);
}

const parsed = new WeakMap<readonly string[], AllowEntry[]>();

/** The configured allow-list, parsed once per settings object (main.ts validated it at start). */
export function allowList(config: { webhookAllowHosts: readonly string[] }): AllowEntry[] {
  let list = parsed.get(config.webhookAllowHosts);
  if (!list) {
    list = parseAllowList(config.webhookAllowHosts);
    parsed.set(config.webhookAllowHosts, list);
  }
  return list;
}
