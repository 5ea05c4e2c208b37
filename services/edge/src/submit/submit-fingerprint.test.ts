import { createPdu, type PduInit } from '@smsgw/smpp';
import { describe, expect, it } from 'vitest';
import { submitFingerprint } from './submit-fingerprint.ts';

const base: PduInit<'submit_sm'> = {
  sourceAddr: 'smsgw',
  destAddrTon: 1,
  destAddrNpi: 1,
  destinationAddr: '4512345678',
  registeredDelivery: 1,
  shortMessage: Buffer.from('Your code is 1234'),
};

function fp(init: PduInit<'submit_sm'> = {}, systemId = 'acme'): string {
  return submitFingerprint(systemId, createPdu('submit_sm', { ...base, ...init }));
}

describe('submitFingerprint', () => {
  it('is the same for a retry with another sequence_number', () => {
    expect(fp({ sequenceNumber: 1 })).toBe(fp({ sequenceNumber: 99 }));
  });

  it('differs by account, addresses, text, coding, flags and TLVs', () => {
    const one = fp();
    const others = [
      fp({}, 'globex'),
      fp({ sourceAddr: 'other' }),
      fp({ destinationAddr: '4512345679' }),
      fp({ shortMessage: Buffer.from('Your code is 1235') }),
      fp({ dataCoding: 8 }),
      fp({ esmClass: 0x40 }),
      fp({ registeredDelivery: 0 }),
      fp({ tlvs: { userMessageReference: 7 } }),
      fp({ shortMessage: new Uint8Array(0), tlvs: { messagePayload: Buffer.from('Your code is 1234') } }),
    ];
    expect(new Set([one, ...others]).size).toBe(others.length + 1);
  });

  it('tells the parts of a concatenated message apart', () => {
    const part = (seq: number): string =>
      fp({
        shortMessage: new Uint8Array(0),
        tlvs: {
          messagePayload: Buffer.from('same text'),
          sarMsgRefNum: 42,
          sarTotalSegments: 2,
          sarSegmentSeqnum: seq,
        },
      });
    expect(part(1)).not.toBe(part(2));
    const udh = (seq: number): string =>
      fp({ esmClass: 0x40, shortMessage: Buffer.from([5, 0, 3, 42, 2, seq, 0x41]) });
    expect(udh(1)).not.toBe(udh(2));
  });
});
