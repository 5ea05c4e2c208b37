import type { Counter, Gauge, Histogram, Metrics } from '@smsgw/runtime';

/** What an operator watches on a connector. */
export interface ConnectorMetrics {
  /** Routed messages handed over and acked, by lane. */
  readonly processed: Counter<'lane'>;
  /** Deliveries that failed, by lane and reason: driver, publish, aborted, in_progress (nak'd for retry), malformed (terminated) or after_accept (acked: never sent again). */
  readonly failed: Counter<'lane' | 'reason'>;
  /** Deliveries that were redeliveries (a crash, an expired ack wait, an earlier failure), by lane. */
  readonly redelivered: Counter<'lane'>;
  /** Status events by state and result: published, duplicate (dropped by the stream) or skipped (intermediate, not asked for). */
  readonly statusEvents: Counter<'state' | 'result'>;
  /** From taking a message off its lane to acking it. */
  readonly duration: Histogram<'lane'>;
  /** From routing to being taken off the lane: how long messages queue, which shows lower lanes waiting behind higher ones. */
  readonly laneWait: Histogram<'lane'>;
  /** Messages with the driver now. */
  readonly inFlight: Gauge;
  /** Messages pulled ahead and waiting in each lane's buffer. */
  readonly buffered: Gauge<'lane'>;
  /**
   * Messages the driver refused with a "try next" status (CONNECTOR_TRY_NEXT_STATUSES), by result: handed_on (to the
   * route's next connector, label `to`) or exhausted (no connector left: final REJECTED, `to` empty).
   */
  readonly tryNext: Counter<'result' | 'to'>;
  /** 1 while this replica's driver is ready (announced in the connectors bucket), 0 while not. */
  readonly ready: Gauge;
  /**
   * `sim`: messages handed to the simulated network, by outcome: stored (it took the message), repeat
   * (it had it already: the message was sent to it a second time; seen by SMS_SIM's duplicate window
   * for a batch of one, else when the network side gives the second answer, sim/given-answers.ts) or
   * unknown (no answer in time or a lost connection: the message is retried, which may send it twice,
   * as with every network).
   */
  readonly simAccepted: Counter<'outcome'>;
  /** Deliveries of messages this replica had handed over already (a lost ack, a second copy): acked again, not sent. */
  readonly alreadyHandedOver: Counter<'lane'>;
  /** Messages whose validity ended before they were sent: reported EXPIRED, never handed to the driver. */
  readonly expired: Counter<'lane'>;
}

/** Registers the connector's metrics in the service's registry. */
export function createConnectorMetrics(metrics: Metrics): ConnectorMetrics {
  return {
    processed: metrics.counter({
      name: 'smsgw_connector_messages_processed_total',
      help: 'Routed messages handed over and acked',
      labelNames: ['lane'],
    }),
    failed: metrics.counter({
      name: 'smsgw_connector_messages_failed_total',
      help: 'Deliveries that failed: nak for retry (driver, publish, aborted; in_progress: a second copy while the first is with the driver), terminated (malformed) or acked because the network had accepted them (after_accept)',
      labelNames: ['lane', 'reason'],
    }),
    redelivered: metrics.counter({
      name: 'smsgw_connector_messages_redelivered_total',
      help: 'Deliveries that were redeliveries',
      labelNames: ['lane'],
    }),
    statusEvents: metrics.counter({
      name: 'smsgw_connector_status_events_total',
      help: 'Status events by state and result (published, duplicate, skipped; given_up: an intermediate status not stored after the network accepted its message)',
      labelNames: ['state', 'result'],
    }),
    duration: metrics.histogram({
      name: 'smsgw_connector_message_duration_seconds',
      help: 'From taking a message off its lane to acking it',
      labelNames: ['lane'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
    laneWait: metrics.histogram({
      name: 'smsgw_connector_lane_wait_seconds',
      help: 'From routing to being taken off the lane',
      labelNames: ['lane'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600],
    }),
    inFlight: metrics.gauge({ name: 'smsgw_connector_in_flight', help: 'Messages with the driver now' }),
    buffered: metrics.gauge({
      name: 'smsgw_connector_lane_buffered',
      help: 'Messages pulled ahead, waiting in a lane buffer',
      labelNames: ['lane'],
    }),
    tryNext: metrics.counter({
      name: 'smsgw_connector_try_next_total',
      help: 'Messages refused with a try-next status: handed on to the next connector, or exhausted (REJECTED)',
      labelNames: ['result', 'to'],
    }),
    ready: metrics.gauge({
      name: 'smsgw_connector_ready',
      help: '1 while the driver can hand messages over (announced to the router), 0 while not',
    }),
    simAccepted: metrics.counter({
      name: 'smsgw_connector_sim_accepted_total',
      help: 'sim: messages handed to the simulated network, by outcome: stored, repeat (sent a second time: dropped by SMS_SIM, or seen when its second answer is given) or unknown (retried)',
      labelNames: ['outcome'],
    }),
    alreadyHandedOver: metrics.counter({
      name: 'smsgw_connector_already_handed_over_total',
      help: 'Deliveries of messages this replica had handed over already (an ack lost to a NATS fault, or a second copy): acked again, not sent',
      labelNames: ['lane'],
    }),
    expired: metrics.counter({
      name: 'smsgw_connector_messages_expired_total',
      help: 'Messages whose validity period ended before they were sent: reported EXPIRED, not sent',
      labelNames: ['lane'],
    }),
  };
}
