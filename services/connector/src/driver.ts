/**
 * The contract between the connector and a driver, the part that talks to the
 * outside world (`sim`, later an upstream SMSC over SMPP). The worker owns the
 * lanes, acks, retries and status events; a driver only sends and reports.
 */
import type { MessageEnvelope, MessageState, NetworkType, RoutedMessage, SubmitAccepted } from '@smsgw/proto';
import type { Priority } from '@smsgw/nats';
import type { Logger } from '@smsgw/runtime';
import type { InboundMo, MoResult } from './mo/mo-intake.ts';

/** What a driver learned about one message. */
export interface StatusReport {
  /** The state reached. Non-final states (ENROUTE) are dropped unless the submit asked for intermediate notifications. */
  readonly messageState: MessageState;
  /** The internal error code (0x10xx for SMS errors, StatusEvent.error_code); 0 or absent when there is none. */
  readonly errorCode?: number;
  /** The network's own error (network_error_code TLV), when the network gave one. */
  readonly networkError?: { readonly type: NetworkType; readonly code: number };
  /** The id an upstream SMSC gave the message. */
  readonly upstreamMessageId?: string;
}

/** One message handed to a driver. */
export interface Delivery {
  /** The accepted submit (always present: malformed routed messages never reach a driver). */
  readonly submit: SubmitAccepted;
  /** The routed message around it (route id, effective priority). */
  readonly routed: RoutedMessage;
  /** The lane it came from. */
  readonly priority: Priority;
  /**
   * What every status event of this message carries (the DLR is built from it):
   * a driver that learns a final status later (a receipt, the sim's delayed
   * answer) keeps this and hands it to `DriverContext.report`.
   */
  readonly envelope: MessageEnvelope;
  /** Aborted when shutdown runs out of time: give up, the message is retried elsewhere. */
  readonly signal: AbortSignal;
  /**
   * Publishes a status event for this message; resolves after the PubAck (or
   * at once when the status is filtered out). Before `accepted()` a failed
   * publish rejects (StatusPublishError), and a `send` that lets it through is
   * retried: the message is sent again. After `accepted()` an intermediate
   * status (ENROUTE) never rejects: the worker keeps retrying its publish on
   * its own (in memory, bounded; README "After the network accepted"), while a
   * final one still rejects and is then the driver's to keep and report later.
   */
  report(status: StatusReport): Promise<void>;
  /**
   * Tells the worker that the network has accepted the message (an upstream
   * SMSC's submit_sm_resp ESME_ROK, the sim's owed answer stored): from now on
   * nothing may send it again. A status publish that fails afterwards is
   * retried on its own, and should `send` still reject, the message is acked
   * (logged and counted as `after_accept`), never nak'ed for a resend.
   */
  accepted(): void;
}

/**
 * What the connector gives a driver at start: the way to report statuses that
 * arrive after `send` resolved (receipts from an upstream SMSC, the sim's
 * delayed final answers), without holding a lane slot meanwhile.
 */
export interface DriverContext {
  /**
   * Publishes a status event for a message handed over earlier, from the
   * envelope the driver kept; resolves after the PubAck (or at once when the
   * status is filtered out). Rejects with StatusPublishError: the driver keeps
   * the status and retries it on its own (never by sending the message again).
   */
  report(envelope: MessageEnvelope, status: StatusReport): Promise<void>;
  /**
   * Takes a mobile-originated message the network sent (a deliver_sm or
   * data_sm that is not a receipt): stores it for the account owning its
   * destination and resolves with the command_status to answer the network
   * (ESME_ROK only once stored). Never rejects.
   */
  receiveMo(mo: InboundMo): Promise<MoResult>;
  /** The connector's logger. */
  readonly logger: Logger;
}

/** A way of handing messages to the outside world. */
export interface Driver {
  /** The driver's kind, e.g. `sim`. */
  readonly kind: string;
  /**
   * Starts the driver's own side (upstream sessions, receipt intake, the sim's
   * pending answers) before the first `send`. Optional: a driver with nothing
   * to start leaves it out.
   */
  start?(context: DriverContext): Promise<void>;
  /**
   * Whether the driver can hand messages over now (`smpp`: at least one bound
   * session that may transmit). Routes fail over on it; absent means always.
   */
  ready?(): boolean;
  /** Its upstream sessions, bound now and configured (`smpp`), announced with its health for `smsgw status`. */
  sessions?(): { bound: number; configured: number };
  /**
   * Hands one message over, reporting what it learns through `delivery.report`.
   * Resolving lets the message leave its lane (ack); rejecting before
   * `delivery.accepted()` retries it with back-off (nak), after it acks it. So a driver resolves as soon as the network accepted the
   * message and whatever must survive a crash is stored (the upstream id
   * mapping, the sim's pending answer): never later, since a lane slot is held
   * until then. Rejecting with TryNextConnectorError hands the message to the
   * route's next connector instead of retrying here.
   */
  send(delivery: Delivery): Promise<void>;
  /** Releases the driver's resources (upstream sessions); called after the last send settled. */
  close(): Promise<void>;
}
