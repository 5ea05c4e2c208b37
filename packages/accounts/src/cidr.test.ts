import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANY_ADDRESS, compileCidrs, isAddressAllowed, isCidr, parseCidr } from './cidr.ts';
import { InvalidCidrError } from './errors.ts';

describe('parseCidr', () => {
  it('reads address/prefix for both families, and a bare address as one host', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    expect(parseCidr('2001:db8::/32')).toEqual({ address: '2001:db8::', prefix: 32, family: 'ipv6' });
    expect(parseCidr('0.0.0.0/0')).toEqual({ address: '0.0.0.0', prefix: 0, family: 'ipv4' });
    expect(parseCidr('192.0.2.7')).toEqual({ address: '192.0.2.7', prefix: 32, family: 'ipv4' });
    expect(parseCidr('::1')).toEqual({ address: '::1', prefix: 128, family: 'ipv6' });
    expect(parseCidr('::ffff:10.0.0.0/104')).toMatchObject({ prefix: 104, family: 'ipv6' });
  });

  it.each([
    '',
    '/8',
    '10.0.0.0/',
    '10.0.0.0/33',
    '10.0.0.0/08',
    '10.0.0.0/-1',
    '10.0.0.0/8/8',
    '10.0.0/8',
    '10.0.0.256/32',
    '010.0.0.1/32',
    ' 10.0.0.0/8',
    '2001:db8::/129',
    'fe80::1%eth0',
    'fe80::%eth0/64',
    'localhost',
    'any',
  ])('rejects %j', (cidr) => {
    expect(() => parseCidr(cidr)).toThrow(InvalidCidrError);
    expect(isCidr(cidr)).toBe(false);
  });

  it('compileCidrs names the bad entry', () => {
    expect(() => compileCidrs(['10.0.0.0/8', '10.0.0.0/40'])).toThrow(/"10\.0\.0\.0\/40"/);
  });
});

describe('isAddressAllowed', () => {
  const office = ['192.0.2.0/24', '2001:db8:1::/48'];

  it('IPv4 peers: inside or outside the IPv4 rules; host bits of a rule are ignored', () => {
    expect(isAddressAllowed('192.0.2.1', office)).toBe(true);
    expect(isAddressAllowed('192.0.2.255', office)).toBe(true);
    expect(isAddressAllowed('192.0.3.1', office)).toBe(false);
    expect(isAddressAllowed('10.1.99.1', ['10.1.2.3/16'])).toBe(true);
    expect(isAddressAllowed('198.51.100.4', ['198.51.100.4'])).toBe(true);
    expect(isAddressAllowed('198.51.100.5', ['198.51.100.4'])).toBe(false);
  });

  it('IPv6 peers: inside or outside the IPv6 rules, any spelling', () => {
    expect(isAddressAllowed('2001:db8:1::1', office)).toBe(true);
    expect(isAddressAllowed('2001:0db8:0001:ffff::1', office)).toBe(true);
    expect(isAddressAllowed('2001:db8:2::1', office)).toBe(false);
    expect(isAddressAllowed('::1', office)).toBe(false);
    expect(isAddressAllowed('::1', ['::1'])).toBe(true);
  });

  it('IPv4-mapped IPv6 peers (dual-stack listeners) match IPv4 rules, dotted or hex', () => {
    expect(isAddressAllowed('::ffff:192.0.2.9', office)).toBe(true);
    expect(isAddressAllowed('::ffff:c000:209', office)).toBe(true);
    expect(isAddressAllowed('::ffff:192.0.3.9', office)).toBe(false);
    expect(isAddressAllowed('::ffff:127.0.0.1', ['127.0.0.0/8'])).toBe(true);
  });

  it('an IPv6 rule over the mapped range admits plain IPv4 peers', () => {
    expect(isAddressAllowed('127.0.0.1', ['::ffff:127.0.0.0/104'])).toBe(true);
    expect(isAddressAllowed('128.0.0.1', ['::ffff:127.0.0.0/104'])).toBe(false);
  });

  it('the default list admits everyone; an IPv4-only catch-all admits no native IPv6 peer', () => {
    for (const peer of ['1.2.3.4', '::1', '::ffff:1.2.3.4', '2001:db8::7', 'fe80::1%eth0']) {
      expect(isAddressAllowed(peer, ANY_ADDRESS)).toBe(true);
    }
    expect(isAddressAllowed('::1', ['0.0.0.0/0'])).toBe(false);
    expect(isAddressAllowed('::ffff:1.2.3.4', ['0.0.0.0/0'])).toBe(true);
  });

  it('drops a zone id from a link-local peer', () => {
    expect(isAddressAllowed('fe80::1%eth0', ['fe80::/10'])).toBe(true);
    expect(isAddressAllowed('fe80::1%eth0', ['2001:db8::/32'])).toBe(false);
  });

  it('refuses a closed socket (undefined), non-addresses, and everyone for an empty list', () => {
    expect(isAddressAllowed(undefined, ANY_ADDRESS)).toBe(false);
    for (const peer of ['', 'localhost', '1.2.3', '1.2.3.4:2775', '%eth0']) {
      expect(isAddressAllowed(peer, ANY_ADDRESS)).toBe(false);
    }
    expect(isAddressAllowed('1.2.3.4', [])).toBe(false);
  });

  it('throws for an invalid list rather than answering', () => {
    expect(() => isAddressAllowed('1.2.3.4', ['1.2.3.4/99'])).toThrow(InvalidCidrError);
  });

  const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
  const dotted = (b: readonly number[]): string => b.join('.');
  const toInt = (b: readonly number[]): number => b.reduce((n, x) => n * 256 + x, 0);

  it('property: an IPv4 peer is allowed by a /n rule exactly when its first n bits match; mapped form agrees', () => {
    fc.assert(
      fc.property(ipv4, ipv4, fc.nat(32), (peer, net, prefix) => {
        const mask = prefix === 0 ? 0 : 2 ** 32 - 2 ** (32 - prefix);
        const inside = (toInt(peer) & mask) >>> 0 === (toInt(net) & mask) >>> 0;
        const cidrs = [`${dotted(net)}/${prefix}`];
        expect(isAddressAllowed(dotted(peer), cidrs)).toBe(inside);
        expect(isAddressAllowed(`::ffff:${dotted(peer)}`, cidrs)).toBe(inside);
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});
