/**
 * The edge's acceptance rules for submit_sm (docs/architecture.md "The public contract"),
 * each with the command_status it answers. Pure: the PDU and the account in,
 * a verdict out. Protocol work (UDH, SAR, text checks, segment counts) is
 * @smsgw/smpp's; this file only decides.
 *
 * Status choices where the spec leaves it open:
 * - message_payload together with a non-empty short_message: ESME_RINVPARLEN
 *   (spec §5.3.2.32: with message_payload, sm_length must be 0 — the length is
 *   what is wrong).
 * - message_class TLV naming a class the account may not send (or not ASCII):
 *   ESME_RINVOPTPARAMVAL (the TLV is allowed, its value is not).
 * - UDH and SAR TLVs both present: the UDH wins (it is what the handset sees).
 */
import { messageClassFor, type Account } from '@smsgw/accounts';
import {
  CommandStatus,
  DataCoding,
  EsmClass,
  SmppError,
  countPayloadSegments,
  ia5ToGsm7,
  isFlash,
  parseUdh,
  parseValidityPeriod,
  readSar,
  validatePayload,
  type SmppTime,
  type SubmitSm,
} from '@smsgw/smpp';
import { ConcatenationScheme } from '@smsgw/proto';

/** data_coding values the edge accepts (docs/architecture.md): GSM-7, binary, Latin-1, binary, ISO-8859-5, UCS-2, UCS-2 flash, GSM-7 flash. */
export const ACCEPTED_DATA_CODINGS: ReadonlySet<number> = new Set([
  0x00, 0x01, 0x02, 0x03, 0x04, 0x06, 0x08, 0x18, 0xf0,
]);

/** Where a submit sits in a concatenated message. */
export interface SubmitConcatenation {
  readonly scheme: ConcatenationScheme;
  readonly reference: number;
  readonly total: number;
  readonly seq: number;
}

/** A submit that passed every rule, with what the edge derived from it. */
export interface AcceptedSubmit {
  /** dest_addr_ton with 0 normalised to 1. */
  readonly destAddrTon: number;
  /** The user data: short_message, or message_payload when that was used (UDH included); IA5 text carried as GSM-7. */
  readonly payload: Uint8Array;
  /** The data_coding the payload is carried in: the submit's, except IA5 (1), carried as GSM-7 (0). */
  readonly dataCoding: number;
  readonly concatenation: SubmitConcatenation | undefined;
  /** The message class the account sends it in (the TLV's, or the account's default). */
  readonly messageClass: string;
  /** The message_class TLV as sent, if any. */
  readonly messageClassRequested: string | undefined;
  readonly flash: boolean;
  readonly segments: number;
  /** user_message_reference as its 2 octets, if sent. */
  readonly userMessageReference: Uint8Array | undefined;
  /** validity_period parsed (a relative one counted from validation time), or undefined when empty. */
  readonly validity: SmppTime | undefined;
}

/** The verdict on one submit. */
export type SubmitVerdict =
  | { readonly ok: true; readonly submit: AcceptedSubmit }
  | { readonly ok: false; readonly commandStatus: number; readonly reason: string };

function reject(commandStatus: number, reason: string): SubmitVerdict {
  return { ok: false, commandStatus, reason };
}

const ASCII_CLASS = /^[\x21-\x7e]+$/;

/** Checks a submit_sm against the contract and the account's rules; `now` anchors a relative validity_period. */
export function validateSubmit(
  pdu: SubmitSm,
  account: Pick<Account, 'messageClasses'>,
  now?: Date,
): SubmitVerdict {
  const S = CommandStatus;
  if (pdu.priorityFlag > 3) return reject(S.ESME_RINVPRTFLG, `priority_flag ${pdu.priorityFlag} is above 3`);
  if (pdu.scheduleDeliveryTime !== '')
    return reject(S.ESME_RINVSCHED, 'schedule_delivery_time is not supported');
  let validity: SmppTime | undefined;
  try {
    // Most submits carry no validity_period: no Date is made for them.
    validity =
      pdu.validityPeriod === '' ? undefined : parseValidityPeriod(pdu.validityPeriod, now ?? new Date());
  } catch (error) {
    if (error instanceof SmppError) return reject(error.commandStatus, error.message);
    throw error;
  }
  if (pdu.destAddrTon !== 0 && pdu.destAddrTon !== 1) {
    return reject(S.ESME_RINVDSTTON, `dest_addr_ton ${pdu.destAddrTon} is not 0 or 1`);
  }
  if (!ACCEPTED_DATA_CODINGS.has(pdu.dataCoding)) {
    return reject(S.ESME_RINVDCS, `data_coding 0x${pdu.dataCoding.toString(16)} is not accepted`);
  }
  const { tlvs } = pdu;
  if (tlvs.messagePayload !== undefined && pdu.shortMessage.length > 0) {
    return reject(S.ESME_RINVPARLEN, 'message_payload with a non-empty short_message');
  }
  let payload = tlvs.messagePayload ?? pdu.shortMessage;
  let dataCoding = pdu.dataCoding;

  let messageClassRequested: string | undefined;
  if (tlvs.messageClass !== undefined) {
    messageClassRequested = Buffer.from(tlvs.messageClass).toString('latin1');
    if (!ASCII_CLASS.test(messageClassRequested)) {
      return reject(S.ESME_RINVOPTPARAMVAL, 'message_class is not visible ASCII');
    }
  }
  const messageClass = messageClassFor(account, messageClassRequested);
  if (messageClass === undefined) {
    return reject(
      S.ESME_RINVOPTPARAMVAL,
      `message class ${JSON.stringify(messageClassRequested)} not allowed`,
    );
  }

  try {
    let text = payload;
    let concatenation: SubmitConcatenation | undefined;
    if ((pdu.esmClass & EsmClass.UDHI) !== 0) {
      const udh = parseUdh(payload);
      text = udh.payload;
      if (udh.concat !== undefined) {
        const { reference, total, sequence, refBits } = udh.concat;
        const scheme = refBits === 16 ? ConcatenationScheme.UDH_16BIT : ConcatenationScheme.UDH_8BIT;
        concatenation = { scheme, reference, total, seq: sequence };
      }
    }
    // SAR TLVs are read (and so checked) even behind a UDH; the UDH's numbers win.
    const sar = readSar(tlvs);
    if (concatenation === undefined && sar !== undefined) {
      const { reference, total, sequence } = sar;
      concatenation = { scheme: ConcatenationScheme.SAR, reference, total, seq: sequence };
    }
    if (dataCoding === DataCoding.IA5) {
      // 7-bit ASCII, carried on as GSM-7 text (README "data_coding"); the UDH, if any, stays as it is.
      const gsm = ia5ToGsm7(text);
      const header = payload.subarray(0, payload.length - text.length);
      payload = Buffer.concat([header, gsm]);
      text = gsm;
      dataCoding = DataCoding.MC_DEFAULT;
    }
    validatePayload(text, dataCoding);
    const segments = countPayloadSegments(text, dataCoding);
    const umr = tlvs.userMessageReference;
    return {
      ok: true,
      submit: {
        destAddrTon: 1,
        payload,
        dataCoding,
        concatenation,
        messageClass,
        messageClassRequested,
        flash: tlvs.destAddrSubunit === 1 || isFlash(pdu.dataCoding),
        segments,
        userMessageReference: umr === undefined ? undefined : Uint8Array.of(umr >> 8, umr & 0xff),
        validity,
      },
    };
  } catch (error) {
    if (error instanceof SmppError) return reject(error.commandStatus, error.message);
    throw error;
  }
}
