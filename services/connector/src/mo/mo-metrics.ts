import type { Counter, Histogram, Metrics } from '@smsgw/runtime';

/** What an operator watches of a connector's MOs. */
export interface MoMetrics {
  /**
   * MOs from the network by outcome: stored (on SMS_MO, answered ESME_ROK), unowned (no account owns
   * the destination: answered CONNECTOR_MO_UNOWNED_COMMAND_STATUS), not_ready (number plan not loaded) or
   * publish_failed (both answered ESME_RX_T_APPN for a resend).
   */
  readonly received: Counter<'outcome'>;
  /** From the network's PDU to its answer. */
  readonly intakeSeconds: Histogram;
}

/** Registers the MO metrics. */
export function createMoMetrics(metrics: Metrics): MoMetrics {
  return {
    received: metrics.counter({
      name: 'smsgw_connector_mo_total',
      help: 'MOs from the network by outcome (stored, unowned, not_ready, publish_failed)',
      labelNames: ['outcome'],
    }),
    intakeSeconds: metrics.histogram({
      name: 'smsgw_connector_mo_intake_seconds',
      help: 'From the network PDU of an MO to its answer',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    }),
  };
}
