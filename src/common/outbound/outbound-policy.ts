import { isIP } from 'node:net';
import * as ipaddr from 'ipaddr.js';

// Which addresses a URL that an admin or a user configured may reach. Only public unicast
// addresses pass: loopback, private, link-local (cloud metadata), CGNAT, unspecified, multicast,
// reserved ranges and every IPv6 form that embeds an IPv4 address are refused, unless the host
// is on OUTBOUND_ALLOW_HOSTS. Pure functions: the guard service resolves names and connects.

const RANGE_WORDS: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  uniqueLocal: 'a private (unique local) address',
  linkLocal: 'a link-local address (cloud metadata lives there)',
  carrierGradeNat: 'a carrier-grade NAT address',
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  reserved: 'a reserved address',
  ipv4Mapped: 'an IPv4-mapped IPv6 address',
  ipv4Compatible: 'an IPv4-compatible IPv6 address',
  rfc6145: 'an IPv4-translated IPv6 address',
  rfc6052: 'a NAT64 address',
  '6to4': 'a 6to4 address',
  teredo: 'a Teredo address',
};

export const MAX_OUTBOUND_URL_LENGTH = 2048;

// Why `ip` may not be reached, or null when it is a public unicast address.
export function addressProblem(ip: string): string | null {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (!ipaddr.isValid(bare)) return 'is not an IP address';
  const addr = ipaddr.parse(bare);
  let range: string = addr.range();
  if (addr.kind() === 'ipv6' && range === 'unicast' && (addr as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0)) {
    range = 'ipv4Compatible';
  }
  if (range === 'unicast') return null;
  return `points at ${RANGE_WORDS[range] ?? `a non-public address (${range})`} (${bare})`;
}

export interface AllowEntry {
  host: string;
  port: number | null;
}

// "host" or "host:port" ("[::1]:8080" for IPv6), canonicalised the way URLs are, so
// "0x7f000001" and "127.0.0.1" name the same host. Null when it is not a host.
export function parseAllowEntry(entry: string): AllowEntry | null {
  try {
    const u = new URL(`http://${entry.trim()}`);
    if (u.username || u.password || u.pathname !== '/' || u.search || u.hash) return null;
    return { host: u.hostname.toLowerCase(), port: u.port ? Number(u.port) : null };
  } catch {
    return null;
  }
}

export function isAllowedHost(allow: AllowEntry[], hostname: string, port: number): boolean {
  const host = hostname.toLowerCase();
  const bracketed = isIP(host) === 6 ? `[${host}]` : host;
  return allow.some((a) => (a.host === host || a.host === bracketed) && (a.port === null || a.port === port));
}

export function defaultPort(protocol: string): number {
  return protocol === 'https:' ? 443 : 80;
}

export type ParsedOutbound = { ok: true; url: URL } | { ok: false; problem: string };

// The URL as WHATWG parsing normalises it (unicode and full-width dots and digits, octal, hex
// and integer IPv4 forms all become dotted decimal), with the shape rules applied.
export function parseOutboundUrl(raw: string): ParsedOutbound {
  if (raw.length > MAX_OUTBOUND_URL_LENGTH)
    return { ok: false, problem: `must be at most ${MAX_OUTBOUND_URL_LENGTH} characters` };
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u0020\u007f-\u009f\\]/.test(raw))
    return { ok: false, problem: 'must not contain spaces, control characters or backslashes' };
  let url: URL;
  try {
    url = new URL(raw.normalize('NFKC'));
  } catch {
    return { ok: false, problem: 'must be an absolute http(s) URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, problem: 'must be an http or https URL' };
  if (url.username || url.password) return { ok: false, problem: 'must not contain a user name or password' };
  if (!url.hostname) return { ok: false, problem: 'must name a host' };
  return { ok: true, url };
}

// The host part as a bare IP when it is one (IPv6 without brackets), else null.
export function literalAddress(url: URL): string | null {
  const h = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return isIP(h) ? h : null;
}

export function isLocalhostName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}

// What is wrong with `raw` judging by its text alone (no DNS): for settings read at start.
export function literalAddressProblem(raw: string, allowList: string[]): string | null {
  const parsed = parseOutboundUrl(raw);
  if (!parsed.ok) return parsed.problem;
  const { url } = parsed;
  const allow = allowList.map(parseAllowEntry).filter((a): a is AllowEntry => a !== null);
  if (isAllowedHost(allow, url.hostname, url.port ? Number(url.port) : defaultPort(url.protocol))) return null;
  if (isLocalhostName(url.hostname)) return 'points at localhost';
  const ip = literalAddress(url);
  return ip ? addressProblem(ip) : null;
}
