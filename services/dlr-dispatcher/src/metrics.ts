/**
 * The dispatcher's metrics: reports stored per outcome, what is stuck or lost
 * (retries, missing envelopes, poison) and how long building a report takes;
 * on the push side, attempts to the edges by outcome and how long they take,
 * reports put back for later, accounts pumped and edge links open.
 */
import type { Counter, Gauge, Histogram, Metrics } from '@smsgw/runtime';

/** The dispatcher's metric handles. */
export interface DispatcherMetrics {
  /** Status events settled, by outcome: stored (report in the backlog), skipped (registered_delivery said no). */
  readonly statuses: Counter<'outcome'>;
  /** Attempts that failed and were nak'ed for a later retry, by the step that failed. */
  readonly retried: Counter<'step'>;
  /** Status events terminated because their envelope never appeared (no report can be built). */
  readonly envelopeMissing: Counter;
  /** Status events terminated because they can never become a report (undecodable or incomplete). */
  readonly poison: Counter;
  /** Deliveries of a status event that had been delivered before. */
  readonly redelivered: Counter;
  /** Report publishes JetStream dropped as duplicates (a redelivered event whose report was already stored). */
  readonly duplicates: Counter;
  /** Status events being handled right now. */
  readonly inFlight: Gauge;
  /** Time from receiving a status event to acking it (envelope read and publish included). */
  readonly handleSeconds: Histogram;
  /** Push attempts to an edge, by outcome (delivered, rejected, timeout, no_receiver, shutting_down, link_*). */
  readonly pushes: Counter<'outcome'>;
  /** Time from sending a report to an edge to its outcome, by outcome. */
  readonly pushSeconds: Histogram<'outcome'>;
  /** Reports no pod took after every attempt, nak'ed back to the backlog for later. */
  readonly pushRetried: Counter;
  /** Backlog entries terminated because they are not delivery reports. */
  readonly backlogPoison: Counter;
  /** Accounts whose backlog is being pumped (they have receivers bound somewhere). */
  readonly pumpedAccounts: Gauge;
  /** EdgeDelivery links to edge pods. */
  readonly edgeLinks: Gauge;
}

/** Registers the dispatcher's metrics in a service registry. */
export function createDispatcherMetrics(metrics: Metrics): DispatcherMetrics {
  return {
    statuses: metrics.counter({
      name: 'dlr_dispatcher_statuses_total',
      help: 'Status events settled, by outcome (stored, skipped)',
      labelNames: ['outcome'],
    }),
    retried: metrics.counter({
      name: 'dlr_dispatcher_statuses_retried_total',
      help: 'Status handling attempts that failed and were nak-ed with a delay, by failed step',
      labelNames: ['step'],
    }),
    envelopeMissing: metrics.counter({
      name: 'dlr_dispatcher_envelope_missing_total',
      help: 'Status events terminated because their message envelope never appeared',
    }),
    poison: metrics.counter({
      name: 'dlr_dispatcher_statuses_poison_total',
      help: 'Status events terminated because they can never become a delivery report',
    }),
    redelivered: metrics.counter({
      name: 'dlr_dispatcher_statuses_redelivered_total',
      help: 'Status event deliveries that were redeliveries',
    }),
    duplicates: metrics.counter({
      name: 'dlr_dispatcher_report_duplicates_total',
      help: 'Delivery report publishes dropped by JetStream as duplicates',
    }),
    inFlight: metrics.gauge({
      name: 'dlr_dispatcher_statuses_in_flight',
      help: 'Status events being handled now',
    }),
    handleSeconds: metrics.histogram({
      name: 'dlr_dispatcher_status_duration_seconds',
      help: 'Time from receiving a status event to acking it',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    }),
    pushes: metrics.counter({
      name: 'dlr_dispatcher_pushes_total',
      help: 'Delivery report push attempts to an edge, by outcome',
      labelNames: ['outcome'],
    }),
    pushSeconds: metrics.histogram({
      name: 'dlr_dispatcher_push_duration_seconds',
      help: 'Time from sending a report to an edge to its outcome, by outcome',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
    pushRetried: metrics.counter({
      name: 'dlr_dispatcher_pushes_deferred_total',
      help: 'Delivery reports no edge took after every attempt, nak-ed back to the backlog',
    }),
    backlogPoison: metrics.counter({
      name: 'dlr_dispatcher_backlog_poison_total',
      help: 'Backlog entries terminated because they are not delivery reports',
    }),
    pumpedAccounts: metrics.gauge({
      name: 'dlr_dispatcher_pumped_accounts',
      help: 'Accounts whose DLR backlog is being pumped (receivers bound somewhere)',
    }),
    edgeLinks: metrics.gauge({
      name: 'dlr_dispatcher_edge_links',
      help: 'EdgeDelivery links open to edge pods',
    }),
  };
}
