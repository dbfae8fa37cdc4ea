// Safe webhook targets (API-2.md "Agency systems"): no SSRF into the agency network. A URL is
// judged when the subscription is created (scheme, literal addresses) and again at every attempt
// after DNS resolution: the connection goes to the address that was checked, never to one a
// second lookup returns (DNS rebinding).
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { WebhookSettings } from '../config';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** Private, link-local, shared, unspecified, multicast and reserved ranges: never a webhook target. */
const forbidden = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) forbidden.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) forbidden.addSubnet(net, bits, 'ipv6');

export class TargetRefused extends Error {
  override readonly name = 'TargetRefused';
}

/** IPv4 inside IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is. */
function unmapped(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m) return { address: m[1]!, family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

export function isLoopback(address: string): boolean {
  const a = unmapped(address);
  return loopback.check(a.address, a.family);
}

/** Why an address may not be connected to, or null when it may. */
export function addressRefusal(address: string, s: WebhookSettings): string | null {
  const a = unmapped(address);
  if (loopback.check(a.address, a.family)) return s.allowLoopback ? null : `${address} is a loopback address (the setting webhooks_allow_loopback is off)`;
  if (s.loopbackOnly) return `${address} is not a loopback address (this stack delivers only to loopback)`;
  if (forbidden.check(a.address, a.family)) return `${address} is a private, link-local or reserved address`;
  return null;
}

const hostOf = (u: URL) => u.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Why a subscription URL is refused, or null: `https` only (plain `http` only to loopback when
 * the setting allows it), no credentials, and no literal address that addressRefusal refuses.
 */
export function urlRefusal(raw: string, s: WebhookSettings): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'not an absolute URL';
  }
  if (u.username || u.password) return 'a webhook URL may not carry credentials';
  const host = hostOf(u);
  const literal = isIP(host) !== 0;
  const localName = host === 'localhost' || host.endsWith('.localhost');
  const isLocal = (literal && isLoopback(host)) || localName;
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLocal && s.allowLoopback)) return 'only https URLs are accepted';
  if (localName && !s.allowLoopback) return `${host} is loopback (the setting webhooks_allow_loopback is off)`;
  if (literal) return addressRefusal(host, s);
  if (s.loopbackOnly && !localName) return `${host} is not a loopback address (this stack delivers only to loopback)`;
  return null;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request: resolves the name, refuses it when any of its addresses is
 * refused, and hands the checked addresses to the connection.
 */
export function checkedLookup(s: WebhookSettings) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
    dnsLookup(hostname, { all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      for (const a of addresses) {
        const why = addressRefusal(a.address, s);
        if (why) return callback(new TargetRefused(`${hostname} resolves to ${why}`), []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}
