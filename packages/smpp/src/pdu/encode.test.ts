import { describe, expect, it } from 'vitest';
import { CommandStatus, commandStatusName } from '../constants/command-status.ts';
import { PduEncodeError } from '../errors.ts';
import { commandNames } from './arbitraries.test-support.ts';
import { createPdu } from './create.ts';
import { decodePdu } from './decode.ts';
import { encodePdu } from './encode.ts';
import type { Pdu } from './types.ts';

const S = CommandStatus;

/** The PduEncodeError that encoding `pdu` throws. */
function encodeError(pdu: Pdu): PduEncodeError {
  try {
    encodePdu(pdu);
  } catch (error) {
    expect(error).toBeInstanceOf(PduEncodeError);
    return error as PduEncodeError;
  }
  throw new Error('encodePdu did not throw');
}

/** Expects encoding to fail with `status`. */
function expectStatus(pdu: Pdu, status: number): void {
  expect(commandStatusName(encodeError(pdu).commandStatus)).toBe(commandStatusName(status));
}

/** A deliberately wrong value passed past the types, as a JavaScript caller could pass it. */
function loose(value: unknown): never {
  return value as never;
}

describe('encodePdu', () => {
  it('writes the header with command_length equal to the octets returned', () => {
    const bytes = encodePdu(createPdu('submit_sm_resp', { sequenceNumber: 0xfffffffe, messageId: 'abc' }));
    expect(bytes.toString('hex')).toBe('00000014' + '80000004' + '00000000' + 'fffffffe' + '61626300');
  });

  it('returns a Buffer (usable where a Uint8Array is expected)', () => {
    const bytes = encodePdu(createPdu('enquire_link'));
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes).toBeInstanceOf(Uint8Array);
  });

  it.each(commandNames)('encodes %s at its defaults', (command) => {
    const pdu = createPdu(command);
    expect(decodePdu(encodePdu(pdu))).toEqual(pdu);
  });

  describe('C-Octet Strings', () => {
    it.each([
      ['system_id', createPdu('bind_transceiver', { systemId: 'x'.repeat(16) }), S.ESME_RINVSYSID],
      ['password', createPdu('bind_transceiver', { password: 'x'.repeat(9) }), S.ESME_RINVPASWD],
      ['system_type', createPdu('bind_receiver', { systemType: 'x'.repeat(13) }), S.ESME_RINVSYSTYP],
      ['address_range', createPdu('bind_transmitter', { addressRange: 'x'.repeat(41) }), S.ESME_RINVCMDLEN],
      ['service_type', createPdu('submit_sm', { serviceType: 'x'.repeat(6) }), S.ESME_RINVSERTYP],
      ['source_addr', createPdu('submit_sm', { sourceAddr: '1'.repeat(21) }), S.ESME_RINVSRCADR],
      ['destination_addr', createPdu('deliver_sm', { destinationAddr: '1'.repeat(21) }), S.ESME_RINVDSTADR],
      ['data_sm source_addr', createPdu('data_sm', { sourceAddr: '1'.repeat(65) }), S.ESME_RINVSRCADR],
      ['message_id', createPdu('submit_sm_resp', { messageId: '1'.repeat(65) }), S.ESME_RINVMSGID],
      ['esme_addr', createPdu('alert_notification', { esmeAddr: '1'.repeat(65) }), S.ESME_RINVCMDLEN],
    ])('%s over its maximum → its status', (_name, pdu, status) => {
      expectStatus(pdu, status);
    });

    it('one under the maximum is fine', () => {
      expect(() =>
        encodePdu(createPdu('submit_sm', { sourceAddr: '1'.repeat(20), serviceType: 'USSD5' })),
      ).not.toThrow();
      expect(() => encodePdu(createPdu('data_sm', { destinationAddr: '1'.repeat(64) }))).not.toThrow();
    });

    it.each([
      ['a NUL inside', 'ab\u0000c'],
      ['a Latin-1 character', 'Caf\u00e9'],
      ['a character above U+00FF', 'Ω'],
      ['an emoji', '😀'],
    ])('refuses %s', (_name, text) => {
      expectStatus(createPdu('submit_sm', { sourceAddr: text }), S.ESME_RINVSRCADR);
    });

    it('refuses a value that is not a string', () => {
      expectStatus(createPdu('bind_transceiver', { systemId: loose(42) }), S.ESME_RINVSYSID);
    });
  });

  describe('time fields', () => {
    it.each(['1', '20111810540000', '2011181054000004+'])('refuses %j', (value) => {
      expectStatus(createPdu('submit_sm', { scheduleDeliveryTime: value }), S.ESME_RINVSCHED);
      expectStatus(createPdu('submit_sm', { validityPeriod: value }), S.ESME_RINVEXPIRY);
    });

    it('writes an unset time as one NUL and a set one as 17 octets', () => {
      const unset = encodePdu(createPdu('submit_sm'));
      const set = encodePdu(createPdu('submit_sm', { validityPeriod: '000001000000000R' }));
      expect(set.length - unset.length).toBe(16);
    });
  });

  describe('integers', () => {
    it.each([256, -1, 1.5, Number.NaN, Infinity])('refuses a 1-octet field of %s', (value) => {
      expect(encodeError(createPdu('submit_sm', { esmClass: value })).message).toMatch(/esm_class/);
    });

    it.each([-1, 2 ** 32, 0.5])('refuses a sequence_number of %s', (value) => {
      expect(encodeError(createPdu('enquire_link', { sequenceNumber: value })).message).toMatch(
        /sequenceNumber/,
      );
    });

    it('refuses a command_status out of range', () => {
      expect(encodeError(createPdu('generic_nack', { commandStatus: -3 })).message).toMatch(/commandStatus/);
    });

    it('refuses an error_status_code out of range', () => {
      const pdu = createPdu('submit_multi_resp', {
        unsuccessSmes: [{ destAddrTon: 1, destAddrNpi: 1, destinationAddr: '45', errorStatusCode: 2 ** 32 }],
      });
      expect(encodeError(pdu).message).toMatch(/error_status_code/);
    });
  });

  describe('short_message', () => {
    it('255 octets fit', () => {
      expect(encodePdu(createPdu('submit_sm', { shortMessage: new Uint8Array(255) })).length).toBe(
        16 + 17 + 255,
      );
    });

    it('256 octets → ESME_RINVMSGLEN', () => {
      expectStatus(createPdu('submit_sm', { shortMessage: new Uint8Array(256) }), S.ESME_RINVMSGLEN);
      expectStatus(createPdu('replace_sm', { shortMessage: new Uint8Array(256) }), S.ESME_RINVMSGLEN);
    });

    it('refuses a value that is not a Uint8Array', () => {
      expectStatus(createPdu('submit_sm', { shortMessage: loose('hello') }), S.ESME_RINVMSGLEN);
    });
  });

  describe('submit_multi lists', () => {
    const sme = { destFlag: 1 as const, destAddrTon: 1, destAddrNpi: 1, destinationAddr: '4512345678' };

    it('254 destinations fit, 255 → ESME_RINVNUMDESTS', () => {
      const ok = createPdu('submit_multi', { destAddresses: new Array(254).fill(sme) as (typeof sme)[] });
      expect(decodePdu(encodePdu(ok))).toEqual(ok);
      expectStatus(
        createPdu('submit_multi', { destAddresses: new Array(255).fill(sme) as (typeof sme)[] }),
        S.ESME_RINVNUMDESTS,
      );
    });

    it('a dest_flag other than 1 or 2 → ESME_RINVDESTFLAG', () => {
      expectStatus(
        createPdu('submit_multi', { destAddresses: [loose({ destFlag: 3, dlName: 'x' })] }),
        S.ESME_RINVDESTFLAG,
      );
    });

    it('a dl_name over 20 characters → ESME_RINVDLNAME', () => {
      expectStatus(
        createPdu('submit_multi', { destAddresses: [{ destFlag: 2, dlName: 'x'.repeat(21) }] }),
        S.ESME_RINVDLNAME,
      );
    });

    it('256 unsuccess_smes do not fit in no_unsuccess', () => {
      const entry = { destAddrTon: 1, destAddrNpi: 1, destinationAddr: '45', errorStatusCode: 0x0b };
      expect(() =>
        encodePdu(
          createPdu('submit_multi_resp', { unsuccessSmes: new Array(256).fill(entry) as (typeof entry)[] }),
        ),
      ).toThrow(PduEncodeError);
    });
  });

  describe('TLVs', () => {
    const withTlvs = (tlvs: unknown) => createPdu('submit_sm', { tlvs: loose(tlvs) });

    it('writes known TLVs in key order, then unknown ones', () => {
      const bytes = encodePdu(
        withTlvs({
          unknown: [{ tag: 0x1401, value: new Uint8Array([7]) }],
          messageState: 2,
          destAddrSubunit: 1,
        }),
      );
      expect(bytes.subarray(16 + 17).toString('hex')).toBe('0427000102' + '0005000101' + '14010001' + '07');
    });

    it('skips keys set to undefined', () => {
      expect(encodePdu(withTlvs({ messageState: undefined })).length).toBe(16 + 17);
    });

    it.each([
      ['u8 out of range', { messageState: 256 }, S.ESME_RINVOPTPARAMVAL],
      ['u16 out of range', { userMessageReference: 65536 }, S.ESME_RINVOPTPARAMVAL],
      ['u32 negative', { qosTimeToLive: -1 }, S.ESME_RINVOPTPARAMVAL],
      ['u8 as a string', { destAddrSubunit: '1' }, S.ESME_RINVOPTPARAMVAL],
      ['empty TLV not true', { alertOnMessageDelivery: false }, S.ESME_RINVOPTPARAMVAL],
      [
        'network_error_code error over 2 octets',
        { networkErrorCode: { networkType: 3, errorCode: 70000 } },
        S.ESME_RINVOPTPARAMVAL,
      ],
      ['network_error_code not an object', { networkErrorCode: 3 }, S.ESME_RINVOPTPARAMVAL],
      ['cstring over its maximum', { receiptedMessageId: '1'.repeat(65) }, S.ESME_RINVPARLEN],
      ['cstring with a NUL', { receiptedMessageId: 'a\u0000' }, S.ESME_RINVOPTPARAMVAL],
      ['cstring not ASCII', { additionalStatusInfoText: 'fejl på nettet' }, S.ESME_RINVOPTPARAMVAL],
      ['octets under their minimum', { callbackNum: new Uint8Array(3) }, S.ESME_RINVPARLEN],
      ['octets over their maximum', { sourceSubaddress: new Uint8Array(24) }, S.ESME_RINVPARLEN],
      ['octets not a Uint8Array', { messagePayload: 'hello' }, S.ESME_RINVOPTPARAMVAL],
      [
        'message_payload over the 2-octet TLV length',
        { messagePayload: new Uint8Array(65536) },
        S.ESME_RINVPARLEN,
      ],
      ['an unknown key', { userMessageRef: 1 }, S.ESME_RINVOPTPARAMVAL],
      ['unknown not an array', { unknown: { tag: 1, value: new Uint8Array(0) } }, S.ESME_RINVOPTPARAMVAL],
      ['null', null, S.ESME_RINVOPTPARAMVAL],
      ['a null raw TLV', { unknown: [null] }, S.ESME_RINVOPTPARAMVAL],
      [
        'a raw tag out of range',
        { unknown: [{ tag: 0x10000, value: new Uint8Array(0) }] },
        S.ESME_RINVOPTPARAMVAL,
      ],
      [
        'a raw value over 65535 octets',
        { unknown: [{ tag: 0x1401, value: new Uint8Array(65536) }] },
        S.ESME_RINVPARLEN,
      ],
    ])('refuses %s', (_name, tlvs, status) => {
      expectStatus(withTlvs(tlvs), status);
    });

    it('accepts a raw TLV with a known tag (a repeat kept by the decoder)', () => {
      const pdu = withTlvs({ messageState: 2, unknown: [{ tag: 0x0427, value: new Uint8Array([5]) }] });
      expect(decodePdu(encodePdu(pdu))).toEqual(pdu);
    });
  });

  describe('error responses (errorResponseBody)', () => {
    const errorResponses = [
      ['bind_receiver_resp', 17],
      ['bind_transmitter_resp', 17],
      ['bind_transceiver_resp', 17],
      ['submit_sm_resp', 17],
      ['deliver_sm_resp', 17],
      ['query_sm_resp', 20],
      ['submit_multi_resp', 18],
      ['data_sm_resp', 17],
    ] as const;

    it.each(errorResponses)(
      "%s with a default body: header only by default, the defaults with 'empty'",
      (command, emptyLength) => {
        const pdu = createPdu(command, { commandStatus: S.ESME_RSYSERR, sequenceNumber: 9 });
        expect(encodePdu(pdu).length).toBe(16);
        expect(encodePdu(pdu, { errorResponseBody: 'omit' }).length).toBe(16);
        const empty = encodePdu(pdu, { errorResponseBody: 'empty' });
        expect(empty.length).toBe(emptyLength);
        expect(empty.readUInt32BE(0)).toBe(emptyLength);
        expect(decodePdu(empty)).toEqual(pdu);
      },
    );

    it.each(errorResponses)('%s with status 0 always has its body', (command, length) => {
      expect(encodePdu(createPdu(command)).length).toBe(length);
    });

    it('a body field that was set is written even in an error response', () => {
      const bind = createPdu('bind_transceiver_resp', { commandStatus: S.ESME_RINVPASWD, systemId: 'SMSC' });
      expect(encodePdu(bind).length).toBe(21);
      const data = createPdu('data_sm_resp', {
        commandStatus: S.ESME_RDELIVERYFAILURE,
        tlvs: { deliveryFailureReason: 1 },
      });
      expect(decodePdu(encodePdu(data))).toEqual(data);
    });

    it('an empty unknown list counts as no TLVs', () => {
      const pdu = createPdu('data_sm_resp', { commandStatus: S.ESME_RSYSERR, tlvs: { unknown: [] } });
      expect(encodePdu(pdu).length).toBe(16);
    });

    it('does not touch requests or header-only responses', () => {
      const submit = createPdu('submit_sm', { commandStatus: S.ESME_RSYSERR });
      expect(encodePdu(submit).length).toBe(16 + 17);
      const nack = createPdu('generic_nack', { commandStatus: S.ESME_RINVCMDID });
      expect(encodePdu(nack, { errorResponseBody: 'empty' }).length).toBe(16);
    });
  });

  it('refuses an unknown command with ESME_RINVCMDID', () => {
    expectStatus(loose({ command: 'broadcast_sm', commandStatus: 0, sequenceNumber: 1 }), S.ESME_RINVCMDID);
    expectStatus(loose({ command: 'toString', commandStatus: 0, sequenceNumber: 1 }), S.ESME_RINVCMDID);
  });

  it('is unaffected by an earlier failed encode', () => {
    expect(() => encodePdu(createPdu('submit_sm', { sourceAddr: '1'.repeat(30) }))).toThrow(PduEncodeError);
    const pdu = createPdu('submit_sm_resp', { messageId: '1' });
    expect(decodePdu(encodePdu(pdu))).toEqual(pdu);
  });
});
