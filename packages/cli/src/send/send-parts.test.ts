import { DataCoding, Npi, Ton, createPdu } from '@smsgw/smpp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli-error.ts';
import { addressOf } from './address.ts';
import { encodeMessage, flashCodingOf, parseCoding } from './coding.ts';
import { percentile, summarizeLatency } from './latency-stats.ts';
import { receiptOf } from './receipt-collector.ts';
import { parseRegisteredDelivery } from './registered-delivery.ts';

describe('addressOf', () => {
  it('numbers are 1/1 without the +, names 5/0, explicit TON/NPI win, empty is 0/0', () => {
    expect(addressOf('+4512345678')).toEqual({ ton: Ton.INTERNATIONAL, npi: Npi.ISDN, addr: '4512345678' });
    expect(addressOf('ACME')).toEqual({ ton: Ton.ALPHANUMERIC, npi: Npi.UNKNOWN, addr: 'ACME' });
    expect(addressOf('1234', 3, 0)).toEqual({ ton: 3, npi: 0, addr: '1234' });
    expect(addressOf('')).toEqual({ ton: 0, npi: 0, addr: '' });
  });
});

describe('coding', () => {
  it('auto picks GSM-7 when every character fits, else UCS-2; flash maps to the class-0 codings', () => {
    expect(encodeMessage({ text: 'Hello {}' }, 'auto', false).dataCoding).toBe(DataCoding.MC_DEFAULT);
    expect(encodeMessage({ text: 'Привет' }, 'auto', false).dataCoding).toBe(DataCoding.UCS2);
    expect(encodeMessage({ text: 'hi' }, 'auto', true).dataCoding).toBe(DataCoding.GSM7_FLASH);
    expect(flashCodingOf(DataCoding.UCS2)).toBe(DataCoding.UCS2_FLASH);
    expect(flashCodingOf(DataCoding.LATIN1)).toBe(DataCoding.LATIN1);
  });

  it('parses names and numbers, refuses the rest', () => {
    expect(parseCoding('latin1')).toBe('latin1');
    expect(parseCoding('8')).toBe(8);
    expect(parseCoding('0xf0')).toBe(0xf0);
    expect(() => parseCoding('256')).toThrow(UsageError);
    expect(() => parseCoding('utf8')).toThrow(UsageError);
  });

  it('binary takes file bytes as they are and text as hex only', () => {
    expect(encodeMessage({ bytes: Uint8Array.of(0, 255), text: 'ignored' }, 'binary', false).payload).toEqual(
      Uint8Array.of(0, 255),
    );
    expect(() => encodeMessage({ text: 'zz' }, 'binary', false)).toThrow(UsageError);
    expect(() => encodeMessage({ text: 'x' }, 1, false)).toThrow(UsageError);
  });

  it('auto never fails and its bytes are the text in the chosen coding (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const { dataCoding, payload } = encodeMessage({ text }, 'auto', false);
        expect([DataCoding.MC_DEFAULT, DataCoding.UCS2]).toContain(dataCoding);
        if (dataCoding === DataCoding.UCS2) expect(payload.length).toBe(text.length * 2);
      }),
    );
  });
});

describe('registered delivery', () => {
  it('names and numbers', () => {
    expect(parseRegisteredDelivery('none')).toBe(0);
    expect(parseRegisteredDelivery('final')).toBe(1);
    expect(parseRegisteredDelivery('failure')).toBe(2);
    expect(parseRegisteredDelivery('intermediate')).toBe(0x11);
    expect(parseRegisteredDelivery('0x10')).toBe(0x10);
    expect(() => parseRegisteredDelivery('always')).toThrow(UsageError);
  });
});

describe('latency', () => {
  it('nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(summarizeLatency([3, 1, 2])).toEqual({ p50: 2, p99: 3, min: 1, max: 3 });
    expect(summarizeLatency([])).toBeUndefined();
  });
});

describe('receiptOf', () => {
  const text =
    'id:77 sub:001 dlvrd:000 submit date:2601021504 done date:2601021504 stat:ENROUTE err:000 text:';

  it('reads id, stat and err from the text and prefers the TLVs', () => {
    const pdu = createPdu('deliver_sm', { esmClass: 0x04, shortMessage: Buffer.from(text) });
    expect(receiptOf(pdu)).toMatchObject({
      id: '77',
      stat: 'ENROUTE',
      err: '000',
      state: 'ENROUTE',
      final: false,
    });
    const withTlvs = createPdu('deliver_sm', {
      esmClass: 0x04,
      shortMessage: Buffer.from(text),
      tlvs: { receiptedMessageId: '78', messageState: 2 },
    });
    expect(receiptOf(withTlvs)).toMatchObject({ id: '78', state: 'DELIVERED', final: true });
  });

  it('is undefined for a mobile-originated message', () => {
    expect(receiptOf(createPdu('deliver_sm', { shortMessage: Buffer.from('hello there') }))).toBeUndefined();
  });
});
