import type { Counter, Gauge, Histogram, Metrics } from '@smsgw/runtime';

/** What an operator watches on an `smpp` connector (README "The smpp driver", Metrics). */
export interface SmppMetrics {
  /** Bound sessions, by bind type (transmitter, receiver, transceiver). */
  readonly sessionsBound: Gauge<'bind'>;
  /** submit_sm answered, by command_status name (or `timeout`, `session_lost`). */
  readonly submits: Counter<'command_status'>;
  /** ESME_RTHROTTLED answers (each pauses the whole connector). */
  readonly throttled: Counter;
  /** Unanswered submit_sm over the window of all bound transmitting sessions, 0..1. */
  readonly windowUse: Gauge;
  /** Receipts by result: matched, unmatched (never seen: answered ESME_ROK), publish_failed (answered ESME_RX_T_APPN). */
  readonly receipts: Counter<'result'>;
  /** deliver_sm/data_sm that are not receipts (MOs, handed to the MO intake). */
  readonly mobileOriginated: Counter;
  /** From sending a submit_sm to its submit_sm_resp. */
  readonly submitLatency: Histogram;
}

/** Registers the smpp driver's metrics. */
export function createSmppMetrics(metrics: Metrics): SmppMetrics {
  return {
    sessionsBound: metrics.gauge({
      name: 'smsgw_connector_smpp_sessions_bound',
      help: 'Bound upstream SMPP sessions',
      labelNames: ['bind'],
    }),
    submits: metrics.counter({
      name: 'smsgw_connector_smpp_submits_total',
      help: 'Upstream submit_sm by command_status of the response (timeout, session_lost without one)',
      labelNames: ['command_status'],
    }),
    throttled: metrics.counter({
      name: 'smsgw_connector_smpp_throttled_total',
      help: 'ESME_RTHROTTLED answers; each pauses every session of the connector',
    }),
    windowUse: metrics.gauge({
      name: 'smsgw_connector_smpp_window_use',
      help: 'Unanswered submit_sm over the windows of the bound transmitting sessions',
    }),
    receipts: metrics.counter({
      name: 'smsgw_connector_smpp_receipts_total',
      help: 'Upstream delivery receipts by result (matched, unmatched, publish_failed)',
      labelNames: ['result'],
    }),
    mobileOriginated: metrics.counter({
      name: 'smsgw_connector_smpp_mo_total',
      help: 'deliver_sm/data_sm that are not receipts (MOs; smsgw_connector_mo_total says what became of them)',
    }),
    submitLatency: metrics.histogram({
      name: 'smsgw_connector_smpp_submit_latency_seconds',
      help: 'From sending an upstream submit_sm to its submit_sm_resp',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
  };
}
