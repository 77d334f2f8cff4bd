import { lookup } from 'node:dns/promises';
import { lookup as lookupCallback, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { badRequest } from '../errors.js';

/** IPv6 global unicast (RFC 4291/3587): every other IPv6 block is special-purpose or unallocated. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/**
 * True for an address a server-side request must not reach (SSRF). Classified by ipaddr.js:
 * only ordinary unicast passes; loopback, private, link-local, CGNAT, multicast, reserved,
 * documentation and benchmarking blocks do not, and neither does any IPv6 form that embeds
 * an IPv4 address other than mapped `::ffff:a.b.c.d` (judged by its IPv4 host): compatible `::a.b.c.d` / `::7f00:1`, translated
 * `::ffff:0:…`, NAT64 `64:ff9b::/96` and `64:ff9b:1::/48`, 6to4 `2002::/16`, Teredo), since
 * each can lead to an internal IPv4 host. Unparseable text counts as private.
 */
export function isPrivateAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  const addr = ipaddr.parse(address);
  // `::ffff:a.b.c.d` is the IPv4 host itself on a dual-stack socket: judge that host.
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    return isPrivateAddress((addr as ipaddr.IPv6).toIPv4Address().toString());
  }
  if (addr.range() !== 'unicast') return true;
  if (addr.kind() === 'ipv6') return !(addr as ipaddr.IPv6).match(GLOBAL_UNICAST_V6);
  return false;
}

/** How a refusal names the checked URL, its error codes and the setting that allows private hosts. */
export interface UrlCheckNames {
  field: string;
  invalidCode: string;
  privateCode: string;
  allowFlag: string;
}

const WEBSUB_NAMES: UrlCheckNames = {
  field: 'hub.callback',
  invalidCode: 'invalid_callback',
  privateCode: 'private_callback',
  allowFlag: 'WEBSUB_ALLOW_PRIVATE_CALLBACKS',
};

/**
 * Validates a URL the server will request (a WebSub callback, a webhook endpoint): http or
 * https, no credentials, and (unless `allowPrivate`) a host that resolves only to public
 * addresses. Throws a 400 saying why.
 */
export async function checkCallbackUrl(
  raw: string,
  allowPrivate: boolean,
  names: UrlCheckNames = WEBSUB_NAMES,
): Promise<URL> {
  const { field, invalidCode } = names;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badRequest(invalidCode, `${field} '${raw}' is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw badRequest(invalidCode, `${field} must be an http or https URL`);
  if (url.username || url.password) throw badRequest(invalidCode, `${field} must not contain credentials`);
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true })).map((a) => a.address);
    } catch {
      throw badRequest(invalidCode, `${field} host '${host}' does not resolve`);
    }
  }
  if (addresses.some(isPrivateAddress)) {
    throw badRequest(
      names.privateCode,
      `${field} '${host}' is a loopback or private address; it must be public (${names.allowFlag}=1 allows them)`,
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
