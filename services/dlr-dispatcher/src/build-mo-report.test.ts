import { create, toBinary } from '@bufbuild/protobuf';
import { MobileOriginatedSchema } from '@smsgw/proto';
import { describe, expect, it } from 'vitest';
import { buildMoReport, decodeMo } from './build-mo-report.ts';
import { PoisonStatusError } from './errors.ts';

describe('buildMoReport', () => {
  const mo = create(MobileOriginatedSchema, {
    moId: 'mo-1',
    systemId: 'acme',
    connector: 'up',
    source: { ton: 1, npi: 1, addr: '4512345678' },
    destination: { ton: 1, npi: 1, addr: '4599990000' },
    esmClass: 0x40,
    dataCoding: 3,
    shortMessage: Uint8Array.of(5, 0, 3, 1, 2, 2, 0xe9),
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  });

  it('keeps addresses, coding, UDHI and octets, with no receipt fields', () => {
    const report = buildMoReport(decodeMo(toBinary(MobileOriginatedSchema, mo)), new Date(0));
    expect(report).toMatchObject({
      reportId: 'mo-1',
      messageId: 'mo-1',
      systemId: 'acme',
      esmClass: 0x40,
      dataCoding: 3,
      receiptedMessageId: '',
      messageState: 0,
      traceparent: mo.traceparent,
    });
    expect(report.source?.addr).toBe('4512345678');
    expect(report.destination?.addr).toBe('4599990000');
    expect([...report.shortMessage]).toEqual([...mo.shortMessage]);
    expect(buildMoReport({ ...mo, esmClass: 0x04 }, new Date(0)).esmClass).toBe(0);
  });

  it('refuses what is not an MO', () => {
    expect(() => decodeMo(Uint8Array.of(0xff, 0xff))).toThrow(PoisonStatusError);
    expect(() =>
      decodeMo(toBinary(MobileOriginatedSchema, create(MobileOriginatedSchema, { moId: 'x' }))),
    ).toThrow(PoisonStatusError);
  });
});
