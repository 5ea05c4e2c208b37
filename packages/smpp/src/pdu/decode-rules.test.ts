/**
 * One test per decoding rule (docs/architecture.md, docs/smpp-reference.md §1–§3): each malformed
 * frame must fail with the command_status a server answers with, and carry
 * the header's command_id and sequence_number once the header was readable.
 */
import { describe, expect, it } from 'vitest';
import { CommandId, commandNameOf } from '../constants/command-id.ts';
import { CommandStatus, commandStatusName } from '../constants/command-status.ts';
import { PduDecodeError } from '../errors.ts';
import { createPdu } from './create.ts';
import { decodePdu } from './decode.ts';

const SEQ = 0x42;

/** A frame with a correct command_length around `body`. */
function frame(
  commandId: number,
  body: Uint8Array = new Uint8Array(0),
  commandStatus = 0,
  sequenceNumber = SEQ,
): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(16 + body.length, 0);
  header.writeUInt32BE(commandId, 4);
  header.writeUInt32BE(commandStatus, 8);
  header.writeUInt32BE(sequenceNumber, 12);
  return Buffer.concat([header, body]);
}

/** A C-Octet String on the wire, whatever its length. */
const cs = (text: string): Buffer => Buffer.concat([Buffer.from(text, 'latin1'), Buffer.from([0])]);
/** Integers of one octet each. */
const u8 = (...values: number[]): Buffer => Buffer.from(values);
/** A TLV on the wire. */
function tlv(tag: number, value: Uint8Array | number[], length = value.length): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(tag, 0);
  head.writeUInt16BE(length, 2);
  return Buffer.concat([head, Buffer.from(value)]);
}

interface SmParts {
  serviceType?: string;
  sourceAddr?: string;
  destinationAddr?: string;
  scheduleDeliveryTime?: string;
  validityPeriod?: string;
  shortMessage?: Uint8Array;
  smLength?: number;
  tail?: Uint8Array;
}

/** A submit_sm/deliver_sm body from raw parts (none of them checked). */
function smBody(parts: SmParts = {}): Buffer {
  const shortMessage = parts.shortMessage ?? new Uint8Array(0);
  return Buffer.concat([
    cs(parts.serviceType ?? ''),
    u8(1, 1),
    cs(parts.sourceAddr ?? '4512345678'),
    u8(1, 1),
    cs(parts.destinationAddr ?? '4587654321'),
    u8(0, 0, 0),
    cs(parts.scheduleDeliveryTime ?? ''),
    cs(parts.validityPeriod ?? ''),
    u8(1, 0, 0, 0),
    u8(parts.smLength ?? shortMessage.length),
    shortMessage,
    parts.tail ?? new Uint8Array(0),
  ]);
}

/** The PduDecodeError that decoding `bytes` throws. */
function decodeError(bytes: Uint8Array): PduDecodeError {
  try {
    decodePdu(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(PduDecodeError);
    return error as PduDecodeError;
  }
  throw new Error('decodePdu did not throw');
}

/** Expects decoding to fail with `status`, carrying the header of `bytes`. */
function expectStatus(bytes: Buffer, status: number): PduDecodeError {
  const error = decodeError(bytes);
  expect(commandStatusName(error.commandStatus)).toBe(commandStatusName(status));
  expect(error.commandId).toBe(bytes.readUInt32BE(4));
  expect(error.sequenceNumber).toBe(bytes.readUInt32BE(12));
  return error;
}

const S = CommandStatus;
const ID = CommandId;

describe('framing → ESME_RINVCMDLEN', () => {
  it.each([0, 1, 15])('a frame of %i octets, without header fields in the error', (n) => {
    const error = decodeError(new Uint8Array(n));
    expect(error.commandStatus).toBe(S.ESME_RINVCMDLEN);
    expect(error.commandId).toBeUndefined();
    expect(error.sequenceNumber).toBeUndefined();
  });

  it('command_length under 16', () => {
    const bytes = frame(ID.enquire_link);
    bytes.writeUInt32BE(12, 0);
    expectStatus(bytes, S.ESME_RINVCMDLEN);
  });

  it.each([17, 15, 0xffffffff])('command_length %i on a 16-octet frame', (length) => {
    const bytes = frame(ID.enquire_link);
    bytes.writeUInt32BE(length, 0);
    expectStatus(bytes, S.ESME_RINVCMDLEN);
  });

  it('a body ending inside a fixed field (bind without interface_version)', () => {
    expectStatus(frame(ID.bind_transceiver, Buffer.concat([cs('id'), cs('pw'), cs('')])), S.ESME_RINVCMDLEN);
  });

  it('a body ending inside a 4-octet field (unsuccess_sme without error_status_code)', () => {
    const body = Buffer.concat([cs('1'), u8(1), u8(1, 1), cs('45'), u8(0, 0, 0)]);
    expectStatus(frame(ID.submit_multi_resp, body), S.ESME_RINVCMDLEN);
  });

  it('a C-Octet String without NUL before the end of the frame', () => {
    expectStatus(frame(ID.bind_transceiver, Buffer.from('gwcl', 'latin1')), S.ESME_RINVCMDLEN);
    expectStatus(frame(ID.submit_sm, smBody().subarray(0, 8)), S.ESME_RINVCMDLEN);
  });

  it('an empty body where mandatory fields are due', () => {
    expectStatus(frame(ID.submit_sm), S.ESME_RINVCMDLEN);
    expectStatus(frame(ID.outbind), S.ESME_RINVCMDLEN);
  });

  it.each([
    ['enquire_link', ID.enquire_link, u8(0)],
    ['unbind_resp', ID.unbind_resp, u8(0)],
    ['generic_nack', ID.generic_nack, u8(0, 0, 0, 0)],
    ['cancel_sm_resp', ID.cancel_sm_resp, u8(0)],
    [
      'bind_transmitter',
      ID.bind_transmitter,
      Buffer.concat([cs('a'), cs('b'), cs(''), u8(0x34, 0, 0), cs(''), u8(0)]),
    ],
    ['query_sm', ID.query_sm, Buffer.concat([cs('1'), u8(0, 0), cs(''), tlv(0x0204, [0, 1])])],
    [
      'replace_sm',
      ID.replace_sm,
      Buffer.concat([cs('1'), u8(0, 0), cs(''), cs(''), cs(''), u8(0, 0, 0), u8(9)]),
    ],
  ] as const)('octets after the last field of %s, which has no TLVs', (_name, id, body) => {
    expectStatus(frame(id, body), S.ESME_RINVCMDLEN);
  });
});

describe('command_id → ESME_RINVCMDID', () => {
  it.each([
    ['reserved 0x0A', 0x0000000a],
    ['outbind_resp (does not exist)', 0x8000000b],
    ['alert_notification_resp (does not exist)', 0x80000102],
    ['SMPP 5.0 broadcast_sm', 0x00000111],
    ['SMPP 5.0 cancel_broadcast_sm', 0x00000113],
    ['all ones', 0xffffffff],
  ])('%s', (_name, id) => {
    const error = expectStatus(frame(id, u8(1, 2, 3)), S.ESME_RINVCMDID);
    expect(error.commandId).toBe(id);
    expect(error.sequenceNumber).toBe(SEQ);
  });

  it('takes the length check first: a wrong command_length is ESME_RINVCMDLEN even for an unknown id', () => {
    const bytes = frame(0x0a);
    bytes.writeUInt32BE(20, 0);
    expectStatus(bytes, S.ESME_RINVCMDLEN);
  });
});

describe('C-Octet Strings over their maximum → the field status', () => {
  const long = (n: number) => 'x'.repeat(n);
  const bind = (systemId: string, password: string, systemType: string, addressRange: string) =>
    frame(
      ID.bind_transmitter,
      Buffer.concat([cs(systemId), cs(password), cs(systemType), u8(0x34, 0, 0), cs(addressRange)]),
    );

  it.each([
    ['system_id (16)', bind(long(16), '', '', ''), S.ESME_RINVSYSID],
    ['password (9)', bind('a', long(9), '', ''), S.ESME_RINVPASWD],
    ['system_type (13)', bind('a', '', long(13), ''), S.ESME_RINVSYSTYP],
    ['address_range (41)', bind('a', '', '', long(41)), S.ESME_RINVCMDLEN],
    ['service_type (6)', frame(ID.submit_sm, smBody({ serviceType: 'USSDXX' })), S.ESME_RINVSERTYP],
    ['source_addr (21)', frame(ID.submit_sm, smBody({ sourceAddr: '1'.repeat(21) })), S.ESME_RINVSRCADR],
    [
      'destination_addr (21)',
      frame(ID.deliver_sm, smBody({ destinationAddr: '1'.repeat(21) })),
      S.ESME_RINVDSTADR,
    ],
    [
      'schedule_delivery_time (17)',
      frame(ID.submit_sm, smBody({ scheduleDeliveryTime: '2011181054000040+' })),
      S.ESME_RINVSCHED,
    ],
    [
      'validity_period (17)',
      frame(ID.submit_sm, smBody({ validityPeriod: '0000010000000000R' })),
      S.ESME_RINVEXPIRY,
    ],
    [
      'message_id (65)',
      frame(ID.query_sm, Buffer.concat([cs(long(65)), u8(0, 0), cs('')])),
      S.ESME_RINVMSGID,
    ],
    ['submit_sm_resp message_id (65)', frame(ID.submit_sm_resp, cs(long(65))), S.ESME_RINVMSGID],
    [
      'data_sm source_addr (65)',
      frame(
        ID.data_sm,
        Buffer.concat([cs(''), u8(1, 1), cs('1'.repeat(65)), u8(1, 1), cs('2'), u8(0, 0, 0)]),
      ),
      S.ESME_RINVSRCADR,
    ],
    [
      'data_sm destination_addr (65)',
      frame(
        ID.data_sm,
        Buffer.concat([cs(''), u8(1, 1), cs('1'), u8(1, 1), cs('2'.repeat(65)), u8(0, 0, 0)]),
      ),
      S.ESME_RINVDSTADR,
    ],
    [
      'alert_notification esme_addr (65)',
      frame(ID.alert_notification, Buffer.concat([u8(1, 1), cs('1'), u8(1, 1), cs('2'.repeat(65))])),
      S.ESME_RINVCMDLEN,
    ],
    [
      'submit_multi dl_name (21)',
      frame(ID.submit_multi, Buffer.concat([cs(''), u8(1, 1), cs('1'), u8(1), u8(2), cs(long(21))])),
      S.ESME_RINVDLNAME,
    ],
    ['outbind system_id (16)', frame(ID.outbind, Buffer.concat([cs(long(16)), cs('')])), S.ESME_RINVSYSID],
    ['bind_*_resp system_id (16)', frame(ID.bind_receiver_resp, cs(long(16))), S.ESME_RINVSYSID],
  ])('%s', (_name, bytes, status) => {
    expectStatus(bytes, status);
  });

  it('a value one under the maximum is accepted (source_addr of 20, data_sm address of 64)', () => {
    const sm = decodePdu(frame(ID.submit_sm, smBody({ sourceAddr: '1'.repeat(20) })));
    expect(sm).toMatchObject({ sourceAddr: '1'.repeat(20) });
    const data = decodePdu(
      frame(
        ID.data_sm,
        Buffer.concat([cs(''), u8(1, 1), cs('1'.repeat(64)), u8(1, 1), cs('2'.repeat(64)), u8(0, 0, 0)]),
      ),
    );
    expect(data).toMatchObject({ sourceAddr: '1'.repeat(64), destinationAddr: '2'.repeat(64) });
  });

  it('a too long value wins over a missing NUL when both apply', () => {
    expectStatus(frame(ID.submit_sm_resp, Buffer.from('9'.repeat(80), 'latin1')), S.ESME_RINVMSGID);
  });
});

describe('time fields: empty or exactly 16 characters', () => {
  it.each([1, 12, 15])('schedule_delivery_time of %i characters → ESME_RINVSCHED', (n) => {
    expectStatus(frame(ID.submit_sm, smBody({ scheduleDeliveryTime: '0'.repeat(n) })), S.ESME_RINVSCHED);
  });

  it('validity_period of 12 characters → ESME_RINVEXPIRY', () => {
    expectStatus(frame(ID.submit_sm, smBody({ validityPeriod: '000001000000' })), S.ESME_RINVEXPIRY);
  });

  it('replace_sm schedule_delivery_time of 3 characters → ESME_RINVSCHED', () => {
    const body = Buffer.concat([cs('1'), u8(0, 0), cs(''), cs('abc'), cs(''), u8(0, 0, 0)]);
    expectStatus(frame(ID.replace_sm, body), S.ESME_RINVSCHED);
  });

  it('query_sm_resp final_date of 10 characters → ESME_RINVCMDLEN', () => {
    expectStatus(
      frame(ID.query_sm_resp, Buffer.concat([cs('1'), cs('2011181054'), u8(2, 0)])),
      S.ESME_RINVCMDLEN,
    );
  });

  it('16 characters decode', () => {
    const pdu = decodePdu(
      frame(
        ID.submit_sm,
        smBody({ scheduleDeliveryTime: '201118105400004+', validityPeriod: '000001000000000R' }),
      ),
    );
    expect(pdu).toMatchObject({
      scheduleDeliveryTime: '201118105400004+',
      validityPeriod: '000001000000000R',
    });
  });
});

describe('short_message', () => {
  it('sm_length past the end of the body → ESME_RINVMSGLEN', () => {
    expectStatus(frame(ID.submit_sm, smBody({ shortMessage: u8(1, 2, 3), smLength: 4 })), S.ESME_RINVMSGLEN);
    expectStatus(frame(ID.deliver_sm, smBody({ smLength: 255 })), S.ESME_RINVMSGLEN);
  });

  it('sm_length past the end in replace_sm → ESME_RINVMSGLEN', () => {
    const body = Buffer.concat([cs('1'), u8(0, 0), cs(''), cs(''), cs(''), u8(0, 0), u8(10), u8(1, 2)]);
    expectStatus(frame(ID.replace_sm, body), S.ESME_RINVMSGLEN);
  });

  it('a missing sm_length → ESME_RINVCMDLEN', () => {
    const body = smBody();
    expectStatus(frame(ID.submit_sm, body.subarray(0, body.length - 1)), S.ESME_RINVCMDLEN);
  });

  it('255 octets decode', () => {
    const text = new Uint8Array(255).fill(0x41);
    expect(decodePdu(frame(ID.submit_sm, smBody({ shortMessage: text })))).toMatchObject({
      shortMessage: text,
    });
  });

  it('is a copy: changing the frame afterwards does not change the PDU', () => {
    const bytes = frame(ID.submit_sm, smBody({ shortMessage: u8(1, 2, 3) }));
    const pdu = decodePdu(bytes);
    bytes.fill(0xff);
    expect(pdu).toMatchObject({ shortMessage: new Uint8Array([1, 2, 3]), sourceAddr: '4512345678' });
  });
});

describe('TLVs', () => {
  const withTlvs = (...tlvs: Buffer[]) => frame(ID.submit_sm, smBody({ tail: Buffer.concat(tlvs) }));

  it.each([1, 2, 3])('%i octets after the mandatory fields → ESME_RINVOPTPARSTREAM', (n) => {
    expectStatus(withTlvs(Buffer.alloc(n)), S.ESME_RINVOPTPARSTREAM);
    expectStatus(withTlvs(tlv(0x0204, [0, 1]), Buffer.alloc(n)), S.ESME_RINVOPTPARSTREAM);
  });

  it('a TLV length running past the end → ESME_RINVOPTPARSTREAM', () => {
    expectStatus(withTlvs(tlv(0x0204, [0, 1], 3)), S.ESME_RINVOPTPARSTREAM);
    expectStatus(withTlvs(tlv(0x7777, [1, 2, 3], 0xffff)), S.ESME_RINVOPTPARSTREAM);
  });

  it.each([
    ['u8 of 2 octets (dest_addr_subunit)', tlv(0x0005, [0, 1])],
    ['u8 of 0 octets (message_state)', tlv(0x0427, [])],
    ['u8 of 2 octets (source_telematics_id, as node-smpp writes it)', tlv(0x0010, [0, 1])],
    ['u16 of 1 octet (user_message_reference)', tlv(0x0204, [1])],
    ['u16 of 4 octets (sar_msg_ref_num)', tlv(0x020c, [0, 0, 0, 1])],
    ['u32 of 2 octets (qos_time_to_live)', tlv(0x0017, [0, 1])],
    ['empty of 1 octet (alert_on_message_delivery)', tlv(0x130c, [1])],
    ['network_error_code of 2 octets', tlv(0x0423, [3, 0])],
    ['network_error_code of 4 octets', tlv(0x0423, [3, 0, 0, 0])],
    ['cstring without NUL (receipted_message_id)', tlv(0x001e, [0x31, 0x32])],
    ['cstring of 0 octets (receipted_message_id)', tlv(0x001e, [])],
    ['cstring with a NUL inside (receipted_message_id)', tlv(0x001e, [0x31, 0, 0x32, 0])],
    ['cstring over its maximum (receipted_message_id, 66)', tlv(0x001e, [...Buffer.from('1'.repeat(65)), 0])],
    ['octets under their minimum (callback_num, 3)', tlv(0x0381, [1, 2, 3])],
    ['octets over their maximum (source_subaddress, 24)', tlv(0x0202, new Array<number>(24).fill(1))],
    ['octets over their maximum (ussd_service_op, 2)', tlv(0x0501, [1, 2])],
    ['octets under their minimum (message_class, 0)', tlv(0x2900, [])],
  ])('a known TLV whose length does not fit: %s → ESME_RINVPARLEN', (_name, bad) => {
    expectStatus(withTlvs(bad), S.ESME_RINVPARLEN);
    // Also after a good TLV (source_port).
    expectStatus(withTlvs(tlv(0x020a, [0, 1]), bad), S.ESME_RINVPARLEN);
  });

  it('unknown tags are kept raw, in wire order, after the known ones', () => {
    const pdu = decodePdu(withTlvs(tlv(0x1401, [9]), tlv(0x0204, [0x30, 0x39]), tlv(0x0600, [])));
    expect(pdu).toMatchObject({
      tlvs: {
        userMessageReference: 12345,
        unknown: [
          { tag: 0x1401, value: new Uint8Array([9]) },
          { tag: 0x0600, value: new Uint8Array(0) },
        ],
      },
    });
  });

  it('a repeated known tag keeps the first value typed and the repeat raw in unknown', () => {
    const pdu = decodePdu(withTlvs(tlv(0x0427, [2]), tlv(0x0427, [5])));
    expect(pdu).toMatchObject({
      tlvs: { messageState: 2, unknown: [{ tag: 0x0427, value: new Uint8Array([5]) }] },
    });
  });

  it('a repeated known tag with a bad length is still kept raw, not rejected', () => {
    const pdu = decodePdu(withTlvs(tlv(0x0427, [2]), tlv(0x0427, [5, 5])));
    expect(pdu).toMatchObject({
      tlvs: { messageState: 2, unknown: [{ tag: 0x0427, value: new Uint8Array([5, 5]) }] },
    });
  });

  it('key order follows wire order', () => {
    const pdu = decodePdu(withTlvs(tlv(0x0427, [2]), tlv(0x001e, [0x31, 0]), tlv(0x0005, [1])));
    expect(Object.keys((pdu as { tlvs: object }).tlvs)).toEqual([
      'messageState',
      'receiptedMessageId',
      'destAddrSubunit',
    ]);
  });

  it('TLVs are parsed in every PDU type that carries them', () => {
    const ms = tlv(0x0422, [1]);
    expect(
      decodePdu(frame(ID.bind_receiver_resp, Buffer.concat([cs('S'), tlv(0x0210, [0x34])]))),
    ).toMatchObject({
      tlvs: { scInterfaceVersion: 0x34 },
    });
    expect(
      decodePdu(frame(ID.alert_notification, Buffer.concat([u8(1, 1), cs('1'), u8(1, 1), cs('2'), ms]))),
    ).toMatchObject({
      tlvs: { msAvailabilityStatus: 1 },
    });
    expect(decodePdu(frame(ID.data_sm_resp, Buffer.concat([cs('7'), tlv(0x0425, [2])])))).toMatchObject({
      tlvs: { deliveryFailureReason: 2 },
    });
  });
});

describe('responses with a non-zero command_status or no body', () => {
  it.each([
    ['submit_sm_resp', ID.submit_sm_resp],
    ['deliver_sm_resp', ID.deliver_sm_resp],
    ['data_sm_resp', ID.data_sm_resp],
    ['bind_transceiver_resp', ID.bind_transceiver_resp],
    ['query_sm_resp', ID.query_sm_resp],
    ['submit_multi_resp', ID.submit_multi_resp],
  ])('%s: header only and an empty message_id both decode to the defaults', (_name, id) => {
    const headerOnly = decodePdu(frame(id, new Uint8Array(0), S.ESME_RSYSERR));
    const emptyId = decodePdu(frame(id, u8(0), S.ESME_RSYSERR));
    const command = commandNameOf(id);
    if (command === undefined) throw new Error('unknown id');
    const defaults = createPdu(command, { commandStatus: S.ESME_RSYSERR, sequenceNumber: SEQ });
    expect(headerOnly).toEqual(defaults);
    expect(emptyId).toEqual(defaults);
  });

  it('an error query_sm_resp may stop after any field', () => {
    expect(
      decodePdu(frame(ID.query_sm_resp, Buffer.concat([cs('9'), cs('')]), S.ESME_RQUERYFAIL)),
    ).toMatchObject({
      messageId: '9',
      finalDate: '',
      messageState: 0,
      errorCode: 0,
    });
  });

  it('a successful response must be complete once it has a body', () => {
    expectStatus(frame(ID.query_sm_resp, Buffer.concat([cs('9'), cs('')])), S.ESME_RINVCMDLEN);
  });

  it('a lenient response still fails inside a field', () => {
    expectStatus(frame(ID.submit_sm_resp, Buffer.from('12', 'latin1'), S.ESME_RSYSERR), S.ESME_RINVCMDLEN);
    expectStatus(
      frame(ID.submit_multi_resp, Buffer.concat([cs('1'), u8(2)]), S.ESME_RSYSERR),
      S.ESME_RINVCMDLEN,
    );
  });

  it('requests get no leniency: a header-only submit_sm with a status is still too short', () => {
    expectStatus(frame(ID.submit_sm, new Uint8Array(0), S.ESME_RSYSERR), S.ESME_RINVCMDLEN);
  });

  it('bind_*_resp with an error status and a system_id body decodes', () => {
    expect(decodePdu(frame(ID.bind_transmitter_resp, cs('SMSC'), S.ESME_RBINDFAIL))).toEqual({
      command: 'bind_transmitter_resp',
      commandStatus: S.ESME_RBINDFAIL,
      sequenceNumber: SEQ,
      systemId: 'SMSC',
      tlvs: {},
    });
  });

  it('generic_nack is header-only', () => {
    expect(decodePdu(frame(ID.generic_nack, new Uint8Array(0), S.ESME_RINVCMDID))).toEqual({
      command: 'generic_nack',
      commandStatus: S.ESME_RINVCMDID,
      sequenceNumber: SEQ,
    });
    expectStatus(frame(ID.generic_nack, u8(0), S.ESME_RINVCMDID), S.ESME_RINVCMDLEN);
  });
});

describe('submit_multi lists', () => {
  const multi = (count: number, dests: Buffer) =>
    frame(
      ID.submit_multi,
      Buffer.concat([
        cs(''),
        u8(1, 1),
        cs('1'),
        u8(count),
        dests,
        u8(0, 0, 0),
        cs(''),
        cs(''),
        u8(0, 0, 0, 0),
        u8(0),
      ]),
    );

  it('number_of_dests over 254 → ESME_RINVNUMDESTS', () => {
    expectStatus(multi(255, Buffer.alloc(0)), S.ESME_RINVNUMDESTS);
  });

  it('a dest_flag other than 1 or 2 → ESME_RINVDESTFLAG', () => {
    expectStatus(multi(1, Buffer.concat([u8(3), u8(1, 1), cs('45')])), S.ESME_RINVDESTFLAG);
  });

  it('fewer destinations than number_of_dests → ESME_RINVCMDLEN', () => {
    expectStatus(
      frame(ID.submit_multi, Buffer.concat([cs(''), u8(1, 1), cs('1'), u8(3), u8(1, 1, 1), cs('45')])),
      S.ESME_RINVCMDLEN,
    );
  });

  it('no destinations decode to an empty list', () => {
    expect(decodePdu(multi(0, Buffer.alloc(0)))).toMatchObject({ destAddresses: [] });
  });
});

describe('input forms', () => {
  it('accepts a plain Uint8Array and a view at an offset into a larger buffer', () => {
    const bytes = frame(ID.submit_sm_resp, cs('77'));
    const big = new Uint8Array(bytes.length + 10);
    big.set(bytes, 5);
    const expected = { command: 'submit_sm_resp', commandStatus: 0, sequenceNumber: SEQ, messageId: '77' };
    expect(decodePdu(new Uint8Array(bytes))).toEqual(expected);
    expect(decodePdu(big.subarray(5, 5 + bytes.length))).toEqual(expected);
  });

  it('reads header integers as unsigned', () => {
    expect(decodePdu(frame(ID.enquire_link_resp, new Uint8Array(0), 0xfffffffe, 0xffffffff))).toEqual({
      command: 'enquire_link_resp',
      commandStatus: 0xfffffffe,
      sequenceNumber: 0xffffffff,
    });
  });

  it('decodes C-Octet String octets above 0x7F as Latin-1 instead of failing', () => {
    expect(decodePdu(frame(ID.submit_sm_resp, Buffer.from([0x41, 0xe9, 0xff, 0])))).toMatchObject({
      messageId: 'A\u00e9\u00ff',
    });
  });
});
