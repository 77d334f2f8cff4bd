import { lookup } from 'node:dns/promises';
import { lookup as lookupCallback, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { badRequest } from '../errors.js';

/** Addresses a callback must not reach: loopback, private, link-local, CGNAT, multicast, reserved. */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

/** True for an address a server-side request must not reach (SSRF), IPv4-mapped IPv6 included. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Validates a subscriber's callback URL: http or https, no credentials, and (unless
 * `allowPrivate`) a host that resolves only to public addresses. Throws a 400 saying why.
 */
export async function checkCallbackUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badRequest('invalid_callback', `hub.callback '${raw}' is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw badRequest('invalid_callback', 'hub.callback must be an http or https URL');
  if (url.username || url.password)
    throw badRequest('invalid_callback', 'hub.callback must not contain credentials');
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true })).map((a) => a.address);
    } catch {
      throw badRequest('invalid_callback', `hub.callback host '${host}' does not resolve`);
    }
  }
  if (addresses.some(isPrivateAddress)) {
    throw badRequest(
      'private_callback',
      `hub.callback '${host}' is a loopback or private address; callbacks must be public (WEBSUB_ALLOW_PRIVATE_CALLBACKS=1 allows them)`,
    );
  }
  return url;
}

type LookupCb = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request that refuses private addresses at connect time, so a host
 * that resolved to a public address when subscribing cannot be re-pointed at an internal
 * one later (DNS rebinding).
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCb) => {
    lookupCallback(hostname, { ...options }, (err, address, family) => {
      if (err) return callback(err, address as string, family);
      const all = Array.isArray(address) ? address.map((a) => a.address) : [address as string];
      if (!allowPrivate && all.some(isPrivateAddress)) {
        const refused = Object.assign(new Error(`refusing private address for ${hostname}`), {
          code: 'EPRIVATE',
        });
        return callback(refused, address as string, family);
      }
      callback(null, address as string | LookupAddress[], family);
    });
  };
}
