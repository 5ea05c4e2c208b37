/**
 * Attribute names used on smsgw spans. Messaging names follow the OpenTelemetry
 * messaging semantic conventions, which are still in development: copied here
 * as the semantic-conventions package advises for its "incubating" entry point
 * rather than imported from it. SMPP and smsgw names are this project's own.
 */

/** Messaging semantic conventions (development status) and the NATS-specific extras. */
export const MessagingAttr = {
  /** `nats`: the convention registers no value for NATS. Deprecated name, kept for existing dashboards. */
  system: 'messaging.system',
  /** Successor of messaging.system. */
  systemName: 'messaging.system.name',
  destinationName: 'messaging.destination.name',
  destinationTemplate: 'messaging.destination.template',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  messageId: 'messaging.message.id',
  bodySize: 'messaging.message.body.size',
  consumerGroup: 'messaging.consumer.group.name',
  /** The JetStream stream (NATS extra, in the convention's messaging.<system>.* style). */
  natsStream: 'messaging.nats.stream',
  /** JetStream's delivery count of the message (1 on first delivery). */
  natsDeliveryCount: 'messaging.nats.delivery_count',
} as const;

/** SMPP attributes: the PDU and session a span is about. */
export const SmppAttr = {
  /** The account (bind system_id). */
  systemId: 'smpp.system_id',
  /** The PDU's command name, e.g. submit_sm. */
  command: 'smpp.command',
  sequenceNumber: 'smpp.sequence_number',
  /** Our message id (submit_sm_resp message_id, receipted_message_id of a DLR). */
  messageId: 'smpp.message_id',
  dataCoding: 'smpp.data_coding',
  /** Segments (SMS parts) the message counts as. */
  segments: 'smpp.segments',
  registeredDelivery: 'smpp.registered_delivery',
  /** The command_status by name (commandStatusName), e.g. ESME_RTHROTTLED. */
  commandStatus: 'smpp.command_status',
  /** The command_status as a number. */
  commandStatusCode: 'smpp.command_status_code',
  /** The edge's session id (s1, s2…) of the bound session. */
  sessionId: 'smpp.session_id',
  /** message_state of a status or DLR by name, e.g. DELIVERED. */
  messageState: 'smpp.message_state',
} as const;

/** smsgw's own attributes: what the services decided. */
export const SmsgwAttr = {
  /** How the span's work ended, e.g. routed, retry, poison, delivered. */
  outcome: 'smsgw.outcome',
  /** The priority_flag the client asked for (0..3). */
  priorityRequested: 'smsgw.priority.requested',
  /** The priority after the account's rules (the lane). */
  priorityEffective: 'smsgw.priority.effective',
  /** Which of the account's routes chose the connector (`acme:45`, `default`). */
  route: 'smsgw.route',
  /** The connector chosen. */
  connector: 'smsgw.connector',
  /** The edge pod an EdgeDelivery attempt went to. */
  edgePod: 'smsgw.edge.pod',
  /** The attempt number of a DLR push (1 = first pod tried). */
  attempt: 'smsgw.dlr.attempt',
  /** The step that failed (retries). */
  step: 'smsgw.step',
  /** The id an upstream SMSC gave the message (its submit_sm_resp message_id). */
  upstreamMessageId: 'smsgw.upstream_message_id',
} as const;

/** The EdgeDelivery RPC as the stable RPC conventions name it (`rpc.method` is fully qualified). */
export const EDGE_DELIVERY_METHOD = 'smsgw.v1.EdgeDelivery/Deliver';
