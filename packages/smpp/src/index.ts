/**
 * @smsgw/smpp — the SMPP 3.4 protocol library: PDU codec, constants, text
 * codecs, segmentation, delivery receipts and the session engine. Pure
 * protocol code except `session/`, which owns the socket. No runtime
 * dependencies.
 */

// Constants, one table each.
export {
  CommandId,
  Smpp50CommandId,
  RESPONSE_BIT,
  commandNameOf,
  isResponseId,
  responseIdOf,
} from './constants/command-id.ts';
export type { CommandName } from './constants/command-id.ts';
export {
  CommandStatus,
  ESME_RINVTLVLEN,
  commandStatusName,
  isTransientStatus,
} from './constants/command-status.ts';
export type { CommandStatusName } from './constants/command-status.ts';
export {
  DataCoding,
  dataCodingName,
  alphabetOf,
  messageClassOf,
  isFlash,
  classZeroCodingOf,
} from './constants/data-coding.ts';
export type { DataCodingName, Alphabet, MessageClass } from './constants/data-coding.ts';
export {
  EsmClass,
  messagingModeOf,
  messageTypeOf,
  hasUdhi,
  isDeliveryReceipt,
} from './constants/esm-class.ts';
export type { MessagingMode, MessageType } from './constants/esm-class.ts';
export { InterfaceVersion, supportsTlvs } from './constants/interface-version.ts';
export {
  MessageState,
  ReceiptStat,
  messageStateName,
  isMessageState,
  receiptStatOf,
  isFinalState,
  isFailureState,
  messageStateOfStat,
} from './constants/message-state.ts';
export type { MessageStateName, MessageStateValue, ReceiptStatWord } from './constants/message-state.ts';
export {
  RegisteredDelivery,
  receiptRequestOf,
  wantsIntermediate,
  shouldSendReceipt,
} from './constants/registered-delivery.ts';
export type { ReceiptRequest } from './constants/registered-delivery.ts';
export { TlvDefs, tlvKeyOf } from './constants/tlv.ts';
export type { TlvDef, TlvKey, NetworkErrorCode, RawTlv, Tlvs } from './constants/tlv.ts';
export { Ton, Npi, tonNameOf, npiNameOf } from './constants/ton-npi.ts';
export type { TonName, NpiName } from './constants/ton-npi.ts';

// PDUs: types, codec, construction.
export type * from './pdu/types.ts';
export { PDU_HEADER_LENGTH, readPduHeader } from './pdu/header.ts';
export type { PduHeaderFields } from './pdu/header.ts';
export { decodePdu } from './pdu/decode.ts';
export { encodePdu } from './pdu/encode.ts';
export type { EncodeOptions } from './pdu/encode.ts';
export { createPdu, SMPP_VERSION_3_4 } from './pdu/create.ts';
export type { PduInit } from './pdu/create.ts';
export { createResponse, createGenericNack, responseCommandOf, hasResponse } from './pdu/respond.ts';
export type { ResponseCommandOf, RequestWithResponse, ResponseInit } from './pdu/respond.ts';
export { MAX_SHORT_MESSAGE, TIME_LENGTH } from './pdu/fields.ts';

// Errors: every one carries the command_status to answer with.
export { SmppError, PduDecodeError, PduEncodeError, TextCodingError } from './errors.ts';

// Text codecs.
export {
  decodeText,
  encodeText,
  validatePayload,
  chooseDataCoding,
  requireAlphabet,
} from './text/text-codec.ts';
export { isGsm7Encodable, gsm7SeptetCount, encodeGsm7, decodeGsm7, validateGsm7 } from './text/gsm7.ts';
export { ia5ToGsm7 } from './text/ia5.ts';
export { packSeptets, unpackSeptets, udhFillBits, packedLength } from './text/gsm7-packing.ts';
export { isLatin1Encodable, encodeLatin1, decodeLatin1 } from './text/latin1.ts';
export { isIso8859_5Encodable, encodeIso8859_5, decodeIso8859_5 } from './text/iso8859-5.ts';
export { isUcs2Encodable, encodeUcs2, decodeUcs2, validateUcs2 } from './text/ucs2.ts';

// Segmentation, UDH and SAR.
export { MAX_PARTS, segmentLimits, concatUdhLength } from './segments/segment-limits.ts';
export type { RefBits, SegmentLimits, SegmentUnit } from './segments/segment-limits.ts';
export { countPayloadSegments, splitPayload, countSegments, splitText } from './segments/split.ts';
export type { SegmentOptions } from './segments/split.ts';
export { IEI_CONCAT_8BIT, IEI_CONCAT_16BIT, parseUdh, buildConcatUdh } from './segments/udh.ts';
export type { InformationElement, UdhConcat, ParsedUdh } from './segments/udh.ts';
export { readSar, writeSar } from './segments/sar.ts';
export { buildParts } from './segments/build-parts.ts';
export type { BuildPartsOptions, MessagePart } from './segments/build-parts.ts';
export { Reassembler } from './segments/reassembler.ts';
export type { ReassemblerOptions, IncomingPart, ReassemblerStats } from './segments/reassembler.ts';
export { SegmentError } from './segments/segment-error.ts';
export type { ConcatInfo } from './segments/concat-info.ts';

// Delivery receipts.
export { formatReceipt } from './receipt/format-receipt.ts';
export type { ReceiptFields } from './receipt/format-receipt.ts';
export { parseReceipt } from './receipt/parse-receipt.ts';
export type { ParsedReceipt } from './receipt/parse-receipt.ts';
export { errFieldOf } from './receipt/err-field.ts';
export { formatReceiptDate, parseReceiptDate } from './receipt/receipt-date.ts';
export { RECEIPT_TEXT_LENGTH, receiptTextOf } from './receipt/receipt-text.ts';

// SMPP time fields.
export {
  SmppTimeError,
  parseSmppTime,
  parseValidityPeriod,
  parseScheduleDeliveryTime,
  addSmppDuration,
  formatSmppTime,
  formatRelativeSmppTime,
} from './time/smpp-time.ts';
export type { SmppTime, SmppDuration } from './time/smpp-time.ts';

// Session engine: framing, sequence numbers, windows, timers, bind states, over TCP or TLS.
export { SmppSession } from './session/smpp-session.ts';
export type { SmppSessionOptions, BindResponsePdu } from './session/smpp-session.ts';
export type {
  SmppSessionEvents,
  BindRequestPdu,
  InboundRequestPdu,
  RequestCommand,
  RequestOptions,
} from './session/session-events.ts';
export { DEFAULT_SESSION_OPTIONS, resolveSessionOptions } from './session/session-options.ts';
export type { SessionOptions, ResolvedSessionOptions } from './session/session-options.ts';
export {
  requestStatus,
  isBound,
  isBindCommand,
  bindCommandOf,
  boundStateOf,
} from './session/session-state.ts';
export type { SessionRole, SessionState, BindCommand, BindType } from './session/session-state.ts';
export type { CloseReason, CloseCode } from './session/close-reason.ts';
export {
  FramingError,
  SessionClosedError,
  ResponseTimeoutError,
  GenericNackError,
  WindowFullError,
  InvalidStateError,
  BindRejectedError,
  UnexpectedResponseError,
  NoPendingRequestError,
  ConnectTimeoutError,
} from './session/session-errors.ts';
export { FrameDecoder, DEFAULT_MAX_COMMAND_LENGTH } from './session/frame-decoder.ts';
export { SequenceGenerator, nextSequenceNumber, MAX_SEQUENCE_NUMBER } from './session/sequence.ts';
export { SmppServer, createSmppServer } from './session/server.ts';
export type { SmppServerOptions, SmppServerEvents } from './session/server.ts';
export { connectSmpp } from './session/client.ts';
export type { ConnectSmppOptions } from './session/client.ts';
