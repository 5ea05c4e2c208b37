/**
 * Golden vectors: every hex vector of docs/smpp-reference.md §8 (8.1 from cloudhopper,
 * node-smpp and Wikipedia; 8.2 built from the spec tables), plus vectors for
 * the remaining PDU types built from the spec tables (§4). Each is decoded
 * and checked field by field, then re-encoded and compared octet by octet.
 */
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { decodePdu } from './decode.ts';
import { encodePdu } from './encode.ts';
import type { Pdu, PduByCommand } from './types.ts';

/** Octets from hex written with spaces and `|` for reading. */
function hex(text: string): Buffer {
  return Buffer.from(text.replace(/[\s|]/g, ''), 'hex');
}

/** A plain Uint8Array from hex, as the decoder returns Octet Strings. */
function octets(text: string): Uint8Array {
  return new Uint8Array(hex(text));
}

/** Octets of a Latin-1 string. */
function latin1(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

/** Decodes `bytes`, checks it is a `command` and that it re-encodes to the same octets. */
function decodeExact<C extends Pdu['command']>(command: C, bytes: Buffer): PduByCommand[C] {
  const pdu = decodePdu(bytes);
  expect(pdu.command).toBe(command);
  expect(Buffer.from(encodePdu(pdu)).toString('hex')).toBe(bytes.toString('hex'));
  return pdu as PduByCommand[C];
}

describe('docs/smpp-reference.md §8.1 vectors', () => {
  it('cloudhopper bind_transceiver ALL_TW/ALL_TW, TON 1 NPI 2', () => {
    const pdu = decodeExact(
      'bind_transceiver',
      hex('00000023000000090000000000039951414c4c5f545700414c4c5f5457000034010200'),
    );
    expect(pdu.commandStatus).toBe(0);
    expect(pdu.sequenceNumber).toBe(0x39951);
    expect(pdu.systemId).toBe('ALL_TW');
    expect(pdu.password).toBe('ALL_TW');
    expect(pdu.systemType).toBe('');
    expect(pdu.interfaceVersion).toBe(0x34);
    expect(pdu.addrTon).toBe(1);
    expect(pdu.addrNpi).toBe(2);
    expect(pdu.addressRange).toBe('');
  });

  it('cloudhopper bind_transceiver_resp "Smsc GW" with sc_interface_version', () => {
    const pdu = decodeExact(
      'bind_transceiver_resp',
      hex('0000001d800000090000000000039943536d7363204757000210000134'),
    );
    expect(pdu.commandStatus).toBe(0);
    expect(pdu.sequenceNumber).toBe(0x39943);
    expect(pdu.systemId).toBe('Smsc GW');
    expect(pdu.tlvs).toEqual({ scInterfaceVersion: 0x34 });
  });

  it('cloudhopper bind_transceiver_resp ESME_RINVPASWD with a system_id body (3.3 style)', () => {
    const pdu = decodeExact('bind_transceiver_resp', hex('00000015800000090000000e00004db3534d534300'));
    expect(pdu.commandStatus).toBe(CommandStatus.ESME_RINVPASWD);
    expect(pdu.sequenceNumber).toBe(0x4db3);
    expect(pdu.systemId).toBe('SMSC');
    expect(pdu.tlvs).toEqual({});
  });

  it('cloudhopper submit_sm_resp "94258431594"', () => {
    const pdu = decodeExact(
      'submit_sm_resp',
      hex('0000001c80000004000000000a342ee1393432353834333135393400'),
    );
    expect(pdu.commandStatus).toBe(0);
    expect(pdu.sequenceNumber).toBe(0x0a342ee1);
    expect(pdu.messageId).toBe('94258431594');
  });

  it('cloudhopper submit_sm_resp without a body decodes; it re-encodes with the NUL message_id', () => {
    const pdu = decodePdu(hex('0000001080000004000000000a342ee1'));
    expect(pdu).toEqual({
      command: 'submit_sm_resp',
      commandStatus: 0,
      sequenceNumber: 0x0a342ee1,
      messageId: '',
    });
    // A successful response always carries its body.
    expect(Buffer.from(encodePdu(pdu)).toString('hex')).toBe('0000001180000004000000000a342ee100');
  });

  it('cloudhopper submit_sm_resp with an empty message_id', () => {
    const pdu = decodeExact('submit_sm_resp', hex('0000001180000004000000000a342ee100'));
    expect(pdu.sequenceNumber).toBe(0x0a342ee1);
    expect(pdu.messageId).toBe('');
  });

  it('cloudhopper submit_sm, GSM unpacked "@$#!%&/:"', () => {
    const pdu = decodeExact(
      'submit_sm',
      hex(
        '00000039000000040000000000004FE80001013430343034000101343439353133363139323000000000000001000000084024232125262F3A',
      ),
    );
    expect(pdu.sequenceNumber).toBe(0x4fe8);
    expect(pdu.serviceType).toBe('');
    expect([pdu.sourceAddrTon, pdu.sourceAddrNpi, pdu.sourceAddr]).toEqual([1, 1, '40404']);
    expect([pdu.destAddrTon, pdu.destAddrNpi, pdu.destinationAddr]).toEqual([1, 1, '44951361920']);
    expect([pdu.esmClass, pdu.protocolId, pdu.priorityFlag]).toEqual([0, 0, 0]);
    expect([pdu.scheduleDeliveryTime, pdu.validityPeriod]).toEqual(['', '']);
    expect([pdu.registeredDelivery, pdu.replaceIfPresentFlag, pdu.dataCoding, pdu.smDefaultMsgId]).toEqual([
      1, 0, 0, 0,
    ]);
    expect(pdu.shortMessage).toEqual(octets('4024232125262F3A'));
    expect(pdu.tlvs).toEqual({});
  });

  it('cloudhopper deliver_sm receipt with TLVs in non-table order', () => {
    const pdu = decodeExact(
      'deliver_sm',
      hex(
        '000000BA00000005000000000000000200010134343935313336313932300001013430343034000400000000000000006E69643A30303539313133393738207375623A30303120646C7672643A303031207375626D697420646174653A3130303231303137333020646F6E6520646174653A3130303231303137333120737461743A44454C49565244206572723A30303020746578743A4024232125262F3A000E0001010006000101001E000833383630316661000427000102',
      ),
    );
    expect(pdu.sequenceNumber).toBe(2);
    expect([pdu.sourceAddrTon, pdu.sourceAddrNpi, pdu.sourceAddr]).toEqual([1, 1, '44951361920']);
    expect([pdu.destAddrTon, pdu.destAddrNpi, pdu.destinationAddr]).toEqual([1, 1, '40404']);
    expect(pdu.esmClass).toBe(0x04);
    expect(pdu.registeredDelivery).toBe(0);
    expect(pdu.dataCoding).toBe(0);
    expect(pdu.shortMessage).toEqual(
      latin1(
        'id:0059113978 sub:001 dlvrd:001 submit date:1002101730 done date:1002101731 stat:DELIVRD err:000 text:@$#!%&/:',
      ),
    );
    expect(pdu.tlvs).toEqual({
      sourceNetworkType: 1,
      destNetworkType: 1,
      receiptedMessageId: '38601fa',
      messageState: 2,
    });
    // Wire order is kept: 0x000E before 0x0006.
    expect(Object.keys(pdu.tlvs)).toEqual([
      'sourceNetworkType',
      'destNetworkType',
      'receiptedMessageId',
      'messageState',
    ]);
  });

  it('node-smpp submit_sm, esm_class 0x40, UDH with a Portuguese single shift', () => {
    const pdu = decodeExact(
      'submit_sm',
      hex(
        '0000003f00000004000000000000000200010034363730313133333131310001013436373039373731333337004000000000000001000803240103747B7374',
      ),
    );
    expect(pdu.sequenceNumber).toBe(2);
    expect([pdu.sourceAddrTon, pdu.sourceAddrNpi, pdu.sourceAddr]).toEqual([1, 0, '46701133111']);
    expect([pdu.destAddrTon, pdu.destAddrNpi, pdu.destinationAddr]).toEqual([1, 1, '46709771337']);
    // esm_class 40, protocol_id, priority_flag, two empty times, registered_delivery,
    // replace_if_present_flag all 00, data_coding 01, sm_default_msg_id 00, sm_length 08.
    expect(pdu.esmClass).toBe(0x40);
    expect([pdu.protocolId, pdu.priorityFlag, pdu.scheduleDeliveryTime, pdu.validityPeriod]).toEqual([
      0,
      0,
      '',
      '',
    ]);
    expect([pdu.registeredDelivery, pdu.replaceIfPresentFlag, pdu.dataCoding, pdu.smDefaultMsgId]).toEqual([
      0, 0, 1, 0,
    ]);
    expect(pdu.shortMessage).toEqual(octets('03240103747B7374'));
  });

  it('Wikipedia 60-octet submit_sm, Latin-1 "Hello Wikipedia"', () => {
    const pdu = decodeExact(
      'submit_sm',
      hex(
        '0000003C 00000004 00000000 00000005 00 02 08 35353500 01 01 35353535353535353500 00 00 00 00 00 00 00 03 00 0F 48656C6C6F2057696B697065646961',
      ),
    );
    expect(pdu.sequenceNumber).toBe(5);
    expect([pdu.sourceAddrTon, pdu.sourceAddrNpi, pdu.sourceAddr]).toEqual([2, 8, '555']);
    expect([pdu.destAddrTon, pdu.destAddrNpi, pdu.destinationAddr]).toEqual([1, 1, '555555555']);
    expect(pdu.dataCoding).toBe(3);
    expect(pdu.shortMessage).toEqual(latin1('Hello Wikipedia'));
  });
});

describe('docs/smpp-reference.md §8.2 vectors', () => {
  it('1. bind_transceiver gwclient/s3cr3t', () => {
    const pdu = decodeExact(
      'bind_transceiver',
      hex(
        '00000025 00000009 00000000 00000001 | 6777636C69656E7400 | 73336372337400 | 00 | 34 | 00 | 00 | 00',
      ),
    );
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
  });

  it('2. bind_transceiver_resp SMSGW with sc_interface_version 0x34', () => {
    const pdu = decodeExact(
      'bind_transceiver_resp',
      hex('0000001B 80000009 00000000 00000001 | 534D53475700 | 0210 0001 34'),
    );
    expect(pdu).toEqual({
      command: 'bind_transceiver_resp',
      commandStatus: 0,
      sequenceNumber: 1,
      systemId: 'SMSGW',
      tlvs: { scInterfaceVersion: 0x34 },
    });
  });

  it('3. bind_transceiver_resp ESME_RINVPASWD, header only', () => {
    const pdu = decodeExact('bind_transceiver_resp', hex('00000010 80000009 0000000E 00000001'));
    expect(pdu).toEqual({
      command: 'bind_transceiver_resp',
      commandStatus: CommandStatus.ESME_RINVPASWD,
      sequenceNumber: 1,
      systemId: '',
      tlvs: {},
    });
  });

  it('4. submit_sm ExampleCo → 4512345678, GSM "Hello €5 {ok}", user_message_reference 12345', () => {
    const pdu = decodeExact(
      'submit_sm',
      hex(
        '0000004A 00000004 00000000 00000002 | 00 | 05 00 4578616D706C65436F00 | 01 01 3435313233343536373800 | 00 00 00 | 00 | 00 | 01 00 00 00 | 10 | 48656C6C6F201B6535201B286F6B1B29 | 0204 0002 3039',
      ),
    );
    expect(pdu.sequenceNumber).toBe(2);
    expect(pdu.serviceType).toBe('');
    expect([pdu.sourceAddrTon, pdu.sourceAddrNpi, pdu.sourceAddr]).toEqual([5, 0, 'ExampleCo']);
    expect([pdu.destAddrTon, pdu.destAddrNpi, pdu.destinationAddr]).toEqual([1, 1, '4512345678']);
    expect([pdu.esmClass, pdu.protocolId, pdu.priorityFlag]).toEqual([0, 0, 0]);
    expect([pdu.scheduleDeliveryTime, pdu.validityPeriod]).toEqual(['', '']);
    expect([pdu.registeredDelivery, pdu.replaceIfPresentFlag, pdu.dataCoding, pdu.smDefaultMsgId]).toEqual([
      1, 0, 0, 0,
    ]);
    expect(pdu.shortMessage).toEqual(octets('48656C6C6F201B6535201B286F6B1B29'));
    expect(pdu.tlvs).toEqual({ userMessageReference: 12345 });
  });

  it('5. submit_sm_resp "1390125333"', () => {
    const pdu = decodeExact(
      'submit_sm_resp',
      hex('0000001B 80000004 00000000 00000002 | 3133393031323533333300'),
    );
    expect(pdu).toEqual({
      command: 'submit_sm_resp',
      commandStatus: 0,
      sequenceNumber: 2,
      messageId: '1390125333',
    });
  });

  it('6. submit_sm_resp ESME_RINVDSTADR, no body', () => {
    const pdu = decodeExact('submit_sm_resp', hex('00000010 80000004 0000000B 00000002'));
    expect(pdu).toEqual({
      command: 'submit_sm_resp',
      commandStatus: CommandStatus.ESME_RINVDSTADR,
      sequenceNumber: 2,
      messageId: '',
    });
  });

  it('7. deliver_sm receipt with receipted_message_id, message_state and network_error_code', () => {
    const pdu = decodeExact(
      'deliver_sm',
      hex(
        '000000BA 00000005 00000000 00000007 | 00 | 01 01 3435313233343536373800 | 05 00 4578616D706C65436F00 | 04 00 00 | 00 | 00 | 00 00 00 00 | 6B | 69643A313339303132353333332073 75623A30303120646C7672643A303031207375626D697420646174653A3230313131383130353420646F6E6520646174653A3230313131383130353520737461743A44454C49565244206572723A30303020746578743A48656C6C6F | 001E 000B 3133393031323533333300 | 0427 0001 02 | 0423 0003 030000',
      ),
    );
    expect(pdu.sequenceNumber).toBe(7);
    expect([pdu.sourceAddrTon, pdu.sourceAddrNpi, pdu.sourceAddr]).toEqual([1, 1, '4512345678']);
    expect([pdu.destAddrTon, pdu.destAddrNpi, pdu.destinationAddr]).toEqual([5, 0, 'ExampleCo']);
    expect([pdu.esmClass, pdu.protocolId, pdu.priorityFlag]).toEqual([4, 0, 0]);
    expect(pdu.shortMessage.length).toBe(107);
    expect(pdu.shortMessage).toEqual(
      latin1(
        'id:1390125333 sub:001 dlvrd:001 submit date:2011181054 done date:2011181055 stat:DELIVRD err:000 text:Hello',
      ),
    );
    expect(pdu.tlvs).toEqual({
      receiptedMessageId: '1390125333',
      messageState: 2,
      networkErrorCode: { networkType: 3, errorCode: 0 },
    });
  });

  it('8. deliver_sm_resp with a NUL message_id', () => {
    const pdu = decodeExact('deliver_sm_resp', hex('00000011 80000005 00000000 00000007 00'));
    expect(pdu).toEqual({ command: 'deliver_sm_resp', commandStatus: 0, sequenceNumber: 7, messageId: '' });
  });

  it('8. deliver_sm_resp, header-only form', () => {
    const pdu = decodePdu(hex('00000010 80000005 00000000 00000007'));
    expect(pdu).toEqual({ command: 'deliver_sm_resp', commandStatus: 0, sequenceNumber: 7, messageId: '' });
  });

  it.each([
    ['enquire_link', '00000010 00000015 00000000 00000003'],
    ['enquire_link_resp', '00000010 80000015 00000000 00000003'],
    ['unbind', '00000010 00000006 00000000 00000003'],
    ['unbind_resp', '00000010 80000006 00000000 00000003'],
  ] as const)('9. %s', (command, text) => {
    expect(decodeExact(command, hex(text))).toEqual({ command, commandStatus: 0, sequenceNumber: 3 });
  });

  it('10. generic_nack ESME_RINVCMDID', () => {
    const pdu = decodeExact('generic_nack', hex('00000010 80000000 00000003 00000005'));
    expect(pdu).toEqual({
      command: 'generic_nack',
      commandStatus: CommandStatus.ESME_RINVCMDID,
      sequenceNumber: 5,
    });
  });

  it('10. query_sm_resp ESME_RINVCMDID, header only', () => {
    const pdu = decodeExact('query_sm_resp', hex('00000010 80000003 00000003 00000006'));
    expect(pdu).toEqual({
      command: 'query_sm_resp',
      commandStatus: CommandStatus.ESME_RINVCMDID,
      sequenceNumber: 6,
      messageId: '',
      finalDate: '',
      messageState: 0,
      errorCode: 0,
    });
  });
});

// Built from the spec tables (§4), octet counts worked out by hand in the comments.
describe('vectors for the other PDU types', () => {
  it('bind_receiver rx01/pw, system_type VMA, TON 1 NPI 1, address_range ^45 (35 octets)', () => {
    // 16 + system_id 5 + password 3 + system_type 4 + 3 integers + address_range 4 = 35
    const pdu = decodeExact(
      'bind_receiver',
      hex('00000023 00000001 00000000 00000010 | 7278303100 | 707700 | 564D4100 | 34 | 01 | 01 | 5E343500'),
    );
    expect(pdu).toEqual({
      command: 'bind_receiver',
      commandStatus: 0,
      sequenceNumber: 0x10,
      systemId: 'rx01',
      password: 'pw',
      systemType: 'VMA',
      interfaceVersion: 0x34,
      addrTon: 1,
      addrNpi: 1,
      addressRange: '^45',
    });
  });

  it('bind_transmitter tx, empty password, 3.3, largest sequence number (25 octets)', () => {
    const pdu = decodeExact(
      'bind_transmitter',
      hex('00000019 00000002 00000000 7FFFFFFF | 747800 | 00 | 00 | 33 | 00 | 00 | 00'),
    );
    expect(pdu).toEqual({
      command: 'bind_transmitter',
      commandStatus: 0,
      sequenceNumber: 0x7fffffff,
      systemId: 'tx',
      password: '',
      systemType: '',
      interfaceVersion: 0x33,
      addrTon: 0,
      addrNpi: 0,
      addressRange: '',
    });
  });

  it('bind_transmitter_resp SMSGW without TLVs (22 octets)', () => {
    const pdu = decodeExact(
      'bind_transmitter_resp',
      hex('00000016 80000002 00000000 7FFFFFFF | 534D53475700'),
    );
    expect(pdu).toEqual({
      command: 'bind_transmitter_resp',
      commandStatus: 0,
      sequenceNumber: 0x7fffffff,
      systemId: 'SMSGW',
      tlvs: {},
    });
  });

  it('bind_receiver_resp ESME_RINVSYSID, header only', () => {
    const pdu = decodeExact('bind_receiver_resp', hex('00000010 80000001 0000000F 00000010'));
    expect(pdu).toEqual({
      command: 'bind_receiver_resp',
      commandStatus: CommandStatus.ESME_RINVSYSID,
      sequenceNumber: 0x10,
      systemId: '',
      tlvs: {},
    });
  });

  it('outbind SMSC/pw (24 octets)', () => {
    const pdu = decodeExact('outbind', hex('00000018 0000000B 00000000 00000009 | 534D534300 | 707700'));
    expect(pdu).toEqual({
      command: 'outbind',
      commandStatus: 0,
      sequenceNumber: 9,
      systemId: 'SMSC',
      password: 'pw',
    });
  });

  it('query_sm 1390125333 from ExampleCo (39 octets)', () => {
    // 16 + message_id 11 + ton + npi + source_addr 10 = 39
    const pdu = decodeExact(
      'query_sm',
      hex('00000027 00000003 00000000 00000020 | 3133393031323533333300 | 05 | 00 | 4578616D706C65436F00'),
    );
    expect(pdu).toEqual({
      command: 'query_sm',
      commandStatus: 0,
      sequenceNumber: 0x20,
      messageId: '1390125333',
      sourceAddrTon: 5,
      sourceAddrNpi: 0,
      sourceAddr: 'ExampleCo',
    });
  });

  it('query_sm_resp DELIVERED with final_date 201118105500000+ (46 octets)', () => {
    // 16 + message_id 11 + final_date 17 + message_state + error_code = 46
    const pdu = decodeExact(
      'query_sm_resp',
      hex(
        '0000002E 80000003 00000000 00000020 | 3133393031323533333300 | 3230313131383130353530303030302B00 | 02 | 00',
      ),
    );
    expect(pdu).toEqual({
      command: 'query_sm_resp',
      commandStatus: 0,
      sequenceNumber: 0x20,
      messageId: '1390125333',
      finalDate: '201118105500000+',
      messageState: 2,
      errorCode: 0,
    });
  });

  it('cancel_sm 1390125333 ExampleCo → 4512345678 (53 octets), and its resp', () => {
    // 16 + service_type 1 + message_id 11 + (2 + 10) + (2 + 11) = 53
    const pdu = decodeExact(
      'cancel_sm',
      hex(
        '00000035 00000008 00000000 00000021 | 00 | 3133393031323533333300 | 05 00 4578616D706C65436F00 | 01 01 3435313233343536373800',
      ),
    );
    expect(pdu).toEqual({
      command: 'cancel_sm',
      commandStatus: 0,
      sequenceNumber: 0x21,
      serviceType: '',
      messageId: '1390125333',
      sourceAddrTon: 5,
      sourceAddrNpi: 0,
      sourceAddr: 'ExampleCo',
      destAddrTon: 1,
      destAddrNpi: 1,
      destinationAddr: '4512345678',
    });
    expect(decodeExact('cancel_sm_resp', hex('00000010 80000008 00000000 00000021'))).toEqual({
      command: 'cancel_sm_resp',
      commandStatus: 0,
      sequenceNumber: 0x21,
    });
  });

  it('replace_sm with a relative validity_period and "Hello" (65 octets), and its resp', () => {
    // 16 + message_id 11 + (2 + 10) + schedule 1 + validity 17 + 2 integers + sm_length 1 + 5 = 65
    const pdu = decodeExact(
      'replace_sm',
      hex(
        '00000041 00000007 00000000 00000022 | 3133393031323533333300 | 05 00 4578616D706C65436F00 | 00 | 3030303030313030303030303030305200 | 01 | 00 | 05 | 48656C6C6F',
      ),
    );
    expect(pdu).toEqual({
      command: 'replace_sm',
      commandStatus: 0,
      sequenceNumber: 0x22,
      messageId: '1390125333',
      sourceAddrTon: 5,
      sourceAddrNpi: 0,
      sourceAddr: 'ExampleCo',
      scheduleDeliveryTime: '',
      validityPeriod: '000001000000000R',
      registeredDelivery: 1,
      smDefaultMsgId: 0,
      shortMessage: latin1('Hello'),
    });
    expect(decodeExact('replace_sm_resp', hex('00000010 80000007 00000000 00000022'))).toEqual({
      command: 'replace_sm_resp',
      commandStatus: 0,
      sequenceNumber: 0x22,
    });
  });

  it('submit_multi to an SME address and a distribution list (65 octets)', () => {
    // 16 + service_type 1 + (2 + 10) + number_of_dests 1 + (1 + 2 + 11) + (1 + 8)
    //    + esm_class, protocol_id, priority_flag 3 + times 2 + 4 integers + sm_length 1 + "Hi" 2 = 65
    const pdu = decodeExact(
      'submit_multi',
      hex(
        '00000041 00000021 00000000 00000023 | 00 | 05 00 4578616D706C65436F00 | 02 | 01 01 01 3435313233343536373800 | 02 667269656E647300 | 00 00 01 | 00 | 00 | 01 00 00 00 | 02 | 4869',
      ),
    );
    expect(pdu).toEqual({
      command: 'submit_multi',
      commandStatus: 0,
      sequenceNumber: 0x23,
      serviceType: '',
      sourceAddrTon: 5,
      sourceAddrNpi: 0,
      sourceAddr: 'ExampleCo',
      destAddresses: [
        { destFlag: 1, destAddrTon: 1, destAddrNpi: 1, destinationAddr: '4512345678' },
        { destFlag: 2, dlName: 'friends' },
      ],
      esmClass: 0,
      protocolId: 0,
      priorityFlag: 1,
      scheduleDeliveryTime: '',
      validityPeriod: '',
      registeredDelivery: 1,
      replaceIfPresentFlag: 0,
      dataCoding: 0,
      smDefaultMsgId: 0,
      shortMessage: latin1('Hi'),
      tlvs: {},
    });
  });

  it('submit_multi_resp with one unsuccessful destination (45 octets)', () => {
    // 16 + message_id 11 + no_unsuccess 1 + (2 + 11 + error_status_code 4) = 45
    const pdu = decodeExact(
      'submit_multi_resp',
      hex(
        '0000002D 80000021 00000000 00000023 | 3133393031323533333400 | 01 | 01 01 3435393939393939393900 | 0000000B',
      ),
    );
    expect(pdu).toEqual({
      command: 'submit_multi_resp',
      commandStatus: 0,
      sequenceNumber: 0x23,
      messageId: '1390125334',
      unsuccessSmes: [
        {
          destAddrTon: 1,
          destAddrNpi: 1,
          destinationAddr: '4599999999',
          errorStatusCode: CommandStatus.ESME_RINVDSTADR,
        },
      ],
    });
  });

  it('data_sm WAP with ports and a message_payload (68 octets)', () => {
    // 16 + service_type 4 + (2 + 11) + (2 + 11) + 3 integers = 49, TLVs 6 + 6 + 7 = 19
    const pdu = decodeExact(
      'data_sm',
      hex(
        '00000044 00000103 00000000 00000024 | 57415000 | 01 01 3435313233343536373800 | 01 01 3435383736353433323100 | 00 01 04 | 020A 0002 0B84 | 020B 0002 23F0 | 0424 0003 010203',
      ),
    );
    expect(pdu).toEqual({
      command: 'data_sm',
      commandStatus: 0,
      sequenceNumber: 0x24,
      serviceType: 'WAP',
      sourceAddrTon: 1,
      sourceAddrNpi: 1,
      sourceAddr: '4512345678',
      destAddrTon: 1,
      destAddrNpi: 1,
      destinationAddr: '4587654321',
      esmClass: 0,
      registeredDelivery: 1,
      dataCoding: 4,
      tlvs: { sourcePort: 2948, destinationPort: 9200, messagePayload: new Uint8Array([1, 2, 3]) },
    });
  });

  it('data_sm_resp ESME_RDELIVERYFAILURE with delivery_failure_reason and additional_status_info_text (35 octets)', () => {
    // 16 + message_id 1 + (4 + 1) + (4 + 9) = 35; the TLVs keep the body even with 'omit'.
    const pdu = decodeExact(
      'data_sm_resp',
      hex('00000023 80000103 000000FE 00000024 | 00 | 0425 0001 01 | 001D 0009 6E6F20726F75746500'),
    );
    expect(pdu).toEqual({
      command: 'data_sm_resp',
      commandStatus: CommandStatus.ESME_RDELIVERYFAILURE,
      sequenceNumber: 0x24,
      messageId: '',
      tlvs: { deliveryFailureReason: 1, additionalStatusInfoText: 'no route' },
    });
  });

  it('alert_notification for 4512345678, ms_availability_status available (46 octets)', () => {
    // 16 + (2 + 11) + (2 + 10) + TLV 5 = 46
    const pdu = decodeExact(
      'alert_notification',
      hex(
        '0000002E 00000102 00000000 00000025 | 01 01 3435313233343536373800 | 05 00 4578616D706C65436F00 | 0422 0001 00',
      ),
    );
    expect(pdu).toEqual({
      command: 'alert_notification',
      commandStatus: 0,
      sequenceNumber: 0x25,
      sourceAddrTon: 1,
      sourceAddrNpi: 1,
      sourceAddr: '4512345678',
      esmeAddrTon: 5,
      esmeAddrNpi: 0,
      esmeAddr: 'ExampleCo',
      tlvs: { msAvailabilityStatus: 0 },
    });
  });
});
