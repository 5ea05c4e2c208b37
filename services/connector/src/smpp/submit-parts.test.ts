import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { ConcatenationScheme, SubmitAcceptedSchema } from '@smsgw/proto';
import { EsmClass } from '@smsgw/smpp';
import { describe, expect, it } from 'vitest';
import { submitParts, type SubmitPartSettings } from './submit-parts.ts';

const settings: SubmitPartSettings = {
  sourceAddr: 'keep',
  destAddr: 'keep',
  gsmDataCoding: 0,
  longMessages: 'udh',
};

function submit(text: string, extra: Omit<MessageInitShape<typeof SubmitAcceptedSchema>, '$typeName'> = {}) {
  return create(SubmitAcceptedSchema, {
    messageId: 'm-1',
    systemId: 'acme',
    source: { ton: 5, npi: 0, addr: 'ExampleCo' },
    destination: { ton: 1, npi: 1, addr: '4512345678' },
    dataCoding: 0,
    registeredDelivery: 0,
    payload: new TextEncoder().encode(text),
    segments: 1,
    ...extra,
  });
}

describe('submitParts', () => {
  it('one part for a short message, a receipt always asked for', () => {
    const [pdu, ...rest] = submitParts(submit('Hello'), settings);
    expect(rest).toEqual([]);
    expect(pdu).toMatchObject({
      sourceAddr: 'ExampleCo',
      destinationAddr: '4512345678',
      registeredDelivery: 1,
      dataCoding: 0,
    });
  });

  it('keeps the intermediate notification request', () => {
    expect(submitParts(submit('Hi', { registeredDelivery: 0x10 }), settings)[0]?.registeredDelivery).toBe(
      0x11,
    );
  });

  it('sends GSM text with data_coding 1 when told', () => {
    expect(submitParts(submit('Hi'), { ...settings, gsmDataCoding: 1 })[0]?.dataCoding).toBe(1);
  });

  it('sends a flash message with the class-0 data_coding', () => {
    expect(submitParts(submit('Hi', { flash: true }), settings)[0]).toMatchObject({
      dataCoding: 0xf0,
      tlvs: {},
    });
    expect(submitParts(submit('Hi', { flash: true, dataCoding: 8 }), settings)[0]?.dataCoding).toBe(0x18);
    expect(submitParts(submit('Hi'), settings)[0]?.dataCoding).toBe(0);
  });

  it('marks a flash message with dest_addr_subunit 1 when its coding has no class 0', () => {
    const [latin] = submitParts(submit('Hi', { flash: true, dataCoding: 3 }), settings);
    expect(latin).toMatchObject({ dataCoding: 3, tlvs: { destAddrSubunit: 1 } });
    const [ia5] = submitParts(submit('Hi', { flash: true }), { ...settings, gsmDataCoding: 1 });
    expect(ia5).toMatchObject({ dataCoding: 1, tlvs: { destAddrSubunit: 1 } });
    const parts = submitParts(submit('x'.repeat(400), { flash: true, dataCoding: 3 }), settings);
    expect(parts.every((p) => p.tlvs.destAddrSubunit === 1)).toBe(true);
  });

  it('sends the expiry as an absolute validity_period, else what the client sent', () => {
    const relative = submit('Hi', { validityPeriod: '000001000000000R' });
    expect(submitParts(relative, settings)[0]?.validityPeriod).toBe('000001000000000R');
    const [pdu] = submitParts(relative, settings, new Date('2026-01-04T03:04:05.678Z'));
    expect(pdu?.validityPeriod).toBe('260104030405600+');
  });

  it('applies the address rules', () => {
    const [pdu] = submitParts(submit('Hi', { source: { ton: 0, npi: 0, addr: '+4512345678' } }), {
      ...settings,
      sourceAddr: 'auto',
      destAddr: { ton: 2, npi: 1 },
    });
    expect(pdu).toMatchObject({
      sourceAddrTon: 1,
      sourceAddrNpi: 1,
      sourceAddr: '4512345678',
      destAddrTon: 2,
    });
    const [short] = submitParts(submit('Hi', { source: { ton: 0, npi: 0, addr: '1234' } }), {
      ...settings,
      sourceAddr: 'auto',
    });
    expect(short).toMatchObject({ sourceAddrTon: 3, sourceAddrNpi: 0 });
  });

  it.each(['udh', 'sar', 'payload'] as const)('a long message as %s', (mode) => {
    const parts = submitParts(submit('x'.repeat(400)), { ...settings, longMessages: mode });
    if (mode === 'payload') {
      expect(parts).toHaveLength(1);
      expect(parts[0]?.tlvs.messagePayload).toHaveLength(400);
      return;
    }
    expect(parts).toHaveLength(3);
    if (mode === 'udh') expect(parts.every((p) => (p.esmClass & EsmClass.UDHI) !== 0)).toBe(true);
    else expect(parts.map((p) => p.tlvs.sarSegmentSeqnum)).toEqual([1, 2, 3]);
  });

  it('passes on a part the customer split, with SAR TLVs for SAR', () => {
    const [pdu] = submitParts(
      submit('part two', {
        concatenation: { scheme: ConcatenationScheme.SAR, reference: 7, total: 2, seq: 2 },
      }),
      settings,
    );
    expect(pdu?.tlvs).toMatchObject({ sarMsgRefNum: 7, sarTotalSegments: 2, sarSegmentSeqnum: 2 });
  });
});
