/**
 * The events of an SmppSession and the PDU types they carry. Requests the
 * engine answers itself (enquire_link, unbind, anything the bind state does
 * not allow, undecodable PDUs) never reach the application.
 */
import type { SmppError } from '../errors.ts';
import type { RequestWithResponse } from '../pdu/respond.ts';
import type {
  AlertNotification,
  BindReceiver,
  BindTransceiver,
  BindTransmitter,
  CancelSm,
  DataSm,
  DeliverSm,
  QuerySm,
  ReplaceSm,
  SubmitMulti,
  SubmitSm,
} from '../pdu/types.ts';
import type { CloseReason } from './close-reason.ts';
import type { SessionState } from './session-state.ts';

/** A bind request received by a server-side session. */
export type BindRequestPdu = BindTransmitter | BindReceiver | BindTransceiver;

/**
 * A request delivered to the application, allowed by the bind state. Every one
 * but alert_notification (which has no response) must be answered with
 * `respond()` or `reply()`.
 */
export type InboundRequestPdu =
  SubmitSm | SubmitMulti | QuerySm | CancelSm | ReplaceSm | DataSm | DeliverSm | AlertNotification;

/** Requests `SmppSession.request()` sends: every request with a response but unbind (use `unbind()`). */
export type RequestCommand = Exclude<RequestWithResponse, 'unbind'>;

/** Per-request options of `SmppSession.request()`. */
export interface RequestOptions {
  /** Response timeout for this request in ms (default: the session's responseTimeout). */
  timeout?: number;
}

/** Event name → listener arguments of an SmppSession. */
export interface SmppSessionEvents {
  /**
   * Server side: a bind_transmitter/receiver/transceiver on an unbound session.
   * Answer with `reply(pdu, status, { systemId })`; ESME_ROK binds the session.
   * Without a listener the engine answers ESME_RBINDFAIL.
   */
  bind: [pdu: BindRequestPdu];
  /**
   * A request to answer with `respond()`/`reply()` (the inbound window counts
   * it until then). Without a listener the engine answers ESME_RINVCMDID.
   */
  request: [pdu: InboundRequestPdu];
  /** The session moved from `previous` to `state`. */
  state: [state: SessionState, previous: SessionState];
  /**
   * Something the application may want to log: a PDU that failed to decode
   * (already answered), a response that matches no request. Never thrown.
   */
  warning: [error: SmppError];
  /** The session closed; emitted once. */
  close: [reason: CloseReason];
}
