import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseUpstreamUrl } from './upstream-url.ts';

describe('parseUpstreamUrl', () => {
  it('reads credentials, address and options into SMPP_* variables', () => {
    expect(
      parseUpstreamUrl('smpp://esme:s%40cret@smsc.example.com:2776?tls=1&sessions=2&window=50&tps=100'),
    ).toEqual({
      SMPP_HOST: 'smsc.example.com',
      SMPP_PORT: '2776',
      SMPP_SYSTEM_ID: 'esme',
      SMPP_PASSWORD: 's@cret',
      SMPP_TLS: '1',
      SMPP_SESSIONS: '2',
      SMPP_WINDOW: '50',
      SMPP_TPS: '100',
    });
  });

  it('takes the id bases of an SMSC whose receipts write ids differently', () => {
    expect(parseUpstreamUrl('smpp://esme:x@host?submit_ids=hex&receipt_ids=decimal')).toMatchObject({
      SMPP_SUBMIT_ID_BASE: 'hex',
      SMPP_RECEIPT_ID_BASE: 'decimal',
    });
  });

  it('defaults the port to 2775 and allows no password', () => {
    expect(parseUpstreamUrl('smpp://esme@127.0.0.1')).toMatchObject({ SMPP_PORT: '2775', SMPP_PASSWORD: '' });
  });

  it.each([
    'http://esme:x@host:2775',
    'smpp://host:2775',
    'smpp://esme:x@host:2775?speed=3',
    'smpp://esme:x@host:2775?sessions=many',
    'not a url',
  ])('refuses %s', (url) => {
    expect(() => parseUpstreamUrl(url)).toThrow(InvalidArgumentError);
  });
});
