/**
 * Source-address allow-lists: which peers may bind as an account.
 *
 * Matching is node:net's BlockList, which compares IPv4 and IPv6 in one
 * address space: an IPv4 rule also matches the IPv4-mapped IPv6 form of its
 * addresses (`::ffff:127.0.0.1`, what a dual-stack listener reports for an
 * IPv4 peer) and an IPv6 rule that covers `::ffff:0:0/96` matches plain IPv4
 * peers. Consequently `::/0` alone admits every peer, IPv4 ones included.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { InvalidCidrError } from './errors.ts';

/** The allow-list that admits every peer, every IPv4 and every IPv6 address. */
export const ANY_ADDRESS: readonly string[] = Object.freeze(['0.0.0.0/0', '::/0']);

/** A CIDR, parsed. */
export interface Cidr {
  /** The address part as written (host bits are ignored when matching). */
  readonly address: string;
  /** Prefix length in bits: 0..32 for IPv4, 0..128 for IPv6. */
  readonly prefix: number;
  /** Which family the address belongs to. */
  readonly family: 'ipv4' | 'ipv6';
}

const PREFIX = /^(?:0|[1-9]\d{0,2})$/;

/**
 * Parses `address/prefix`, or a bare address meaning that one host (/32 or
 * /128). Throws InvalidCidrError for anything else, zone ids (`fe80::1%eth0`)
 * included: they are local to one host's interfaces.
 */
export function parseCidr(cidr: string): Cidr {
  const slash = cidr.indexOf('/');
  const address = slash < 0 ? cidr : cidr.slice(0, slash);
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) && !address.includes('%') ? 'ipv6' : undefined;
  if (family === undefined) throw new InvalidCidrError(cidr, 'not an IPv4 or IPv6 address');
  const bits = family === 'ipv4' ? 32 : 128;
  if (slash < 0) return { address, prefix: bits, family };
  const prefixText = cidr.slice(slash + 1);
  const prefix = Number(prefixText);
  if (!PREFIX.test(prefixText) || prefix > bits) {
    throw new InvalidCidrError(cidr, `prefix length must be 0..${bits}`);
  }
  return { address, prefix, family };
}

/** Whether parseCidr() accepts the string. */
export function isCidr(cidr: string): boolean {
  try {
    parseCidr(cidr);
    return true;
  } catch (err) {
    if (err instanceof InvalidCidrError) return false;
    throw err;
  }
}

/** Builds the BlockList of an allow-list; throws InvalidCidrError for an invalid entry. */
export function compileCidrs(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const { address, prefix, family } = parseCidr(cidr);
    list.addSubnet(address, prefix, family);
  }
  return list;
}

/**
 * Compiled lists by the array they came from. Accounts are frozen and shared
 * (the cache hands out the same object until the record changes), so each
 * account's list is compiled once; a changed account brings a new array.
 */
const compiled = new WeakMap<readonly string[], BlockList>();

/**
 * Whether a peer address is inside any CIDR of an allow-list. Takes what
 * `socket.remoteAddress` gives: IPv4, IPv6, IPv4-mapped IPv6, a zone id
 * (`%eth0`, dropped), or undefined for a socket already closed (refused).
 * Anything that is not an IP address is refused. Throws InvalidCidrError
 * when the list itself holds an invalid entry.
 */
export function isAddressAllowed(remoteAddress: string | undefined, cidrs: readonly string[]): boolean {
  if (remoteAddress === undefined) return false;
  let list = compiled.get(cidrs);
  if (list === undefined) {
    list = compileCidrs(cidrs);
    compiled.set(cidrs, list);
  }
  if (isIPv4(remoteAddress)) return list.check(remoteAddress, 'ipv4');
  const zone = remoteAddress.indexOf('%');
  const address = zone < 0 ? remoteAddress : remoteAddress.slice(0, zone);
  return isIPv6(address) && list.check(address, 'ipv6');
}
