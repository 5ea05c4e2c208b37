import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseUpstreamUrl } from './upstream-url.ts';

describe('parseUpstreamUrl', () => {
  it('reads credentials, address and options into SMPP_* variables', () => {
    expect(
      parseUpstreamUrl('smpp://esme:s%40cret@smsc.example.com:2776?tls=1&sessions=2&window=50&tps=100'),
    ).toEqual({
      CONNECTOR_SMPP_HOST: 'smsc.example.com',
      CONNECTOR_SMPP_PORT: '2776',
      CONNECTOR_SMPP_SYSTEM_ID: 'esme',
      CONNECTOR_SMPP_PASSWORD: 's@cret',
      CONNECTOR_SMPP_TLS: '1',
      CONNECTOR_SMPP_SESSIONS: '2',
      CONNECTOR_SMPP_WINDOW: '50',
      CONNECTOR_SMPP_TPS: '100',
    });
  });

  it('takes the id bases of an SMSC whose receipts write ids differently', () => {
    expect(parseUpstreamUrl('smpp://esme:x@host?submit_ids=hex&receipt_ids=decimal')).toMatchObject({
      CONNECTOR_SMPP_SUBMIT_ID_BASE: 'hex',
      CONNECTOR_SMPP_RECEIPT_ID_BASE: 'decimal',
    });
  });

  it('defaults the port to 2775 and allows no password', () => {
    expect(parseUpstreamUrl('smpp://esme@127.0.0.1')).toMatchObject({
      CONNECTOR_SMPP_PORT: '2775',
      CONNECTOR_SMPP_PASSWORD: '',
    });
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
