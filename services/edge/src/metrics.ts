/**
 * The edge's metrics: what an operator watches — binds by result, submits by
 * the command_status they were answered with, how long PubAcks take, and how
 * many sessions and publishes are open.
 */
import type { Counter, Gauge, Histogram, Metrics } from '@smsgw/runtime';

/** The edge's metric handles. */
export interface EdgeMetrics {
  /** Bind requests by bind type and result (ok, invalid_credentials, disabled, bind_type, address, tls_required, limit, shutting_down, error). */
  readonly binds: Counter<'bind_type' | 'result'>;
  /** submit_sm (and unsupported requests) by the command_status answered, e.g. ESME_ROK, ESME_RTHROTTLED. */
  readonly submits: Counter<'command' | 'command_status'>;
  /** Time from publishing a submit to its PubAck (or failure), by outcome. */
  readonly publishSeconds: Histogram<'outcome'>;
  /** Open SMPP connections by transport (tcp, tls). */
  readonly sessions: Gauge<'transport'>;
  /** Bound sessions by bind type. */
  readonly boundSessions: Gauge<'bind_type'>;
  /** Submits waiting for their PubAck. */
  readonly publishesInFlight: Gauge;
  /** Sessions unbound because their account was disabled or removed. */
  readonly accountUnbinds: Counter;
}

/** Registers the edge's metrics in a service registry. */
export function createEdgeMetrics(metrics: Metrics): EdgeMetrics {
  return {
    binds: metrics.counter({
      name: 'edge_binds_total',
      help: 'Bind requests by bind type and result',
      labelNames: ['bind_type', 'result'],
    }),
    submits: metrics.counter({
      name: 'edge_submits_total',
      help: 'Requests from clients (submit_sm and unsupported ones) by the command_status answered',
      labelNames: ['command', 'command_status'],
    }),
    publishSeconds: metrics.histogram({
      name: 'edge_publish_seconds',
      help: 'Time from publishing an accepted submit to its PubAck or failure',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
    sessions: metrics.gauge({
      name: 'edge_sessions_open',
      help: 'Open SMPP connections by transport',
      labelNames: ['transport'],
    }),
    boundSessions: metrics.gauge({
      name: 'edge_sessions_bound',
      help: 'Bound SMPP sessions by bind type',
      labelNames: ['bind_type'],
    }),
    publishesInFlight: metrics.gauge({
      name: 'edge_publishes_in_flight',
      help: 'Accepted submits waiting for their PubAck',
    }),
    accountUnbinds: metrics.counter({
      name: 'edge_account_unbinds_total',
      help: 'Sessions unbound because their account was disabled or removed',
    }),
  };
}
