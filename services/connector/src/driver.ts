/**
 * The contract between the connector and a driver, the part that talks to the
 * outside world (`sim`, later an upstream SMSC over SMPP). The worker owns the
 * lanes, acks, retries and status events; a driver only sends and reports.
 */
import type { MessageState, NetworkType, RoutedMessage, SubmitAccepted } from '@smsgw/proto';
import type { Priority } from '@smsgw/nats';

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
  /** Aborted when shutdown runs out of time: give up, the message is retried elsewhere. */
  readonly signal: AbortSignal;
  /** Publishes a status event for this message; resolves after the PubAck (or at once when the status is filtered out). */
  report(status: StatusReport): Promise<void>;
}

/** A way of handing messages to the outside world. */
export interface Driver {
  /** The driver's kind, e.g. `sim`. */
  readonly kind: string;
  /**
   * Hands one message over, reporting what it learns through `delivery.report`.
   * Resolving lets the message leave its lane (ack); rejecting retries it with
   * back-off (nak). So a driver resolves only once whatever must survive a
   * crash has been reported or handed on.
   */
  send(delivery: Delivery): Promise<void>;
  /** Releases the driver's resources (upstream sessions); called after the last send settled. */
  close(): Promise<void>;
}
