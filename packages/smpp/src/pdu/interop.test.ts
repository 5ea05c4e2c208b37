/**
 * Cross-checks against an independent codec, the npm `smpp` package (node-smpp
 * 0.5.1, dev dependency only): it must read what we write, and we must read
 * what it writes, field by field.
 */
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { CommandName } from '../constants/command-id.ts';
import { pduArbitraries } from './arbitraries.test-support.ts';
import { createPdu } from './create.ts';
import { decodePdu } from './decode.ts';
import { encodePdu } from './encode.ts';
import type { Pdu } from './types.ts';

/** The little of node-smpp's (untyped, CommonJS) API used here. */
interface NodeSmppPdu {
  command: string;
  command_status: number;
  sequence_number: number;
  toBuffer(): Buffer;
  [field: string]: unknown;
}
interface NodeSmpp {
  PDU: {
    new (command: string, options: Record<string, unknown>): NodeSmppPdu;
    fromBuffer(bytes: Buffer): NodeSmppPdu;
  };
}

const nodeSmpp = createRequire(import.meta.url)('smpp') as NodeSmpp;

fc.configureGlobal({ seed: 0x5eed });

/** `sourceAddrTon` → `source_addr_ton`. */
const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Fields node-smpp rewrites on decode (times into Dates, short_message into text), compared elsewhere. */
const filtered = new Set(['scheduleDeliveryTime', 'validityPeriod', 'finalDate', 'shortMessage', 'tlvs']);

/** Checks every integer and C-Octet String field of `pdu` against node-smpp's reading of the same octets. */
function expectSameFields(pdu: Pdu, theirs: NodeSmppPdu): void {
  expect(theirs.command).toBe(pdu.command);
  expect(theirs.sequence_number).toBe(pdu.sequenceNumber);
  for (const [key, value] of Object.entries(pdu)) {
    if (key === 'command' || filtered.has(key)) continue;
    if (key === 'destAddresses' || key === 'unsuccessSmes') {
      const list = theirs[key === 'destAddresses' ? 'dest_address' : 'unsuccess_sme'] as Record<
        string,
        unknown
      >[];
      expect(list).toHaveLength((value as unknown[]).length);
      (value as Record<string, unknown>[]).forEach((entry, i) => {
        for (const [k, v] of Object.entries(entry)) {
          if (k !== 'destFlag') expect(list[i]?.[snake(k)], `${key}[${i}].${k}`).toBe(v);
        }
      });
      continue;
    }
    expect(theirs[snake(key)], key).toBe(value);
  }
}

// node-smpp skips the body of any PDU with a non-zero command_status, so the PDUs compared have status 0.
const commands: CommandName[] = [
  'bind_transceiver',
  'bind_receiver',
  'bind_transmitter',
  'bind_transceiver_resp',
  'outbind',
  'submit_sm',
  'submit_sm_resp',
  'deliver_sm',
  'deliver_sm_resp',
  'data_sm',
  'data_sm_resp',
  'query_sm',
  'query_sm_resp',
  'cancel_sm',
  'replace_sm',
  'submit_multi',
  'submit_multi_resp',
  'alert_notification',
  'enquire_link',
  'unbind_resp',
  'generic_nack',
];

describe('node-smpp reads what encodePdu writes', () => {
  it.each(commands)('%s', (command) => {
    const arbitrary = (pduArbitraries[command] as fc.Arbitrary<Pdu>).map((pdu) => {
      const copy: Pdu = { ...pdu, commandStatus: 0 };
      if ('tlvs' in copy) copy.tlvs = {};
      return copy;
    });
    fc.assert(
      fc.property(arbitrary, (pdu) => {
        expectSameFields(pdu, nodeSmpp.PDU.fromBuffer(encodePdu(pdu)));
      }),
      { numRuns: 50 },
    );
  });

  it('reads short_message, times and TLVs of a submit_sm', () => {
    const theirs = nodeSmpp.PDU.fromBuffer(
      encodePdu(
        createPdu('submit_sm', {
          sequenceNumber: 1,
          sourceAddrTon: 5,
          sourceAddr: 'ExampleCo',
          destAddrTon: 1,
          destAddrNpi: 1,
          destinationAddr: '4512345678',
          validityPeriod: '201118105400000+',
          registeredDelivery: 1,
          dataCoding: 3,
          shortMessage: new Uint8Array(Buffer.from('Hello', 'latin1')),
          tlvs: { userMessageReference: 12345, destAddrSubunit: 1, receiptedMessageId: 'abc' },
        }),
      ),
    );
    expect((theirs['short_message'] as { message: string }).message).toBe('Hello');
    expect((theirs['validity_period'] as Date).toISOString()).toMatch(/-11-18T10:54:00\.000Z$/);
    expect(theirs['user_message_reference']).toBe(12345);
    expect(theirs['dest_addr_subunit']).toBe(1);
    expect(theirs['receipted_message_id']).toBe('abc');
  });
});

describe('decodePdu reads what node-smpp writes', () => {
  it('bind_transceiver, octet for octet', () => {
    const bytes = new nodeSmpp.PDU('bind_transceiver', {
      sequence_number: 1,
      system_id: 'gwclient',
      password: 's3cr3t',
      interface_version: 0x34,
    }).toBuffer();
    const pdu = decodePdu(bytes);
    expect(pdu).toEqual({
      command: 'bind_transceiver',
      commandStatus: 0,
      sequenceNumber: 1,
      systemId: 'gwclient',
      password: 's3cr3t',
      systemType: '',
      interfaceVersion: 0x34,
      addrTon: 0,
      addrNpi: 0,
      addressRange: '',
    });
    expect(Buffer.from(encodePdu(pdu)).equals(bytes)).toBe(true);
  });

  it('submit_sm with binary short_message and TLVs, octet for octet', () => {
    const bytes = new nodeSmpp.PDU('submit_sm', {
      sequence_number: 0x1234,
      source_addr_ton: 5,
      source_addr: 'ExampleCo',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '4512345678',
      registered_delivery: 1,
      data_coding: 4,
      short_message: Buffer.from([0, 1, 2, 0xff]),
      user_message_reference: 7,
      sar_msg_ref_num: 0x0102,
      sar_total_segments: 2,
      sar_segment_seqnum: 1,
    }).toBuffer();
    const pdu = decodePdu(bytes);
    expect(pdu).toMatchObject({
      command: 'submit_sm',
      sequenceNumber: 0x1234,
      sourceAddrTon: 5,
      sourceAddr: 'ExampleCo',
      destinationAddr: '4512345678',
      registeredDelivery: 1,
      dataCoding: 4,
      shortMessage: new Uint8Array([0, 1, 2, 0xff]),
      tlvs: { userMessageReference: 7, sarMsgRefNum: 0x0102, sarTotalSegments: 2, sarSegmentSeqnum: 1 },
    });
    expect(Buffer.from(encodePdu(pdu)).equals(bytes)).toBe(true);
  });

  it('deliver_sm receipt with receipted_message_id and message_state', () => {
    const bytes = new nodeSmpp.PDU('deliver_sm', {
      sequence_number: 9,
      source_addr: '4512345678',
      destination_addr: 'ExampleCo',
      esm_class: 4,
      short_message: Buffer.from('id:1 stat:DELIVRD', 'latin1'),
      receipted_message_id: '1',
      message_state: 2,
    }).toBuffer();
    expect(decodePdu(bytes)).toMatchObject({
      command: 'deliver_sm',
      esmClass: 4,
      tlvs: { receiptedMessageId: '1', messageState: 2 },
    });
  });

  it('error responses node-smpp writes header-only', () => {
    const bytes = new nodeSmpp.PDU('submit_sm_resp', { sequence_number: 3, command_status: 0x58 }).toBuffer();
    expect(decodePdu(bytes)).toEqual({
      command: 'submit_sm_resp',
      commandStatus: 0x58,
      sequenceNumber: 3,
      messageId: '',
    });
  });
});
