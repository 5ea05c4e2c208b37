/** The edge's DLR delivery metrics: deliver_sm outcomes, their latency, and open dispatcher streams. */
import type { Counter, Gauge, Histogram, Metrics } from '@smsgw/runtime';

/** Metric handles of the EdgeDelivery server. */
export interface DeliveryMetrics {
  /** Delivery requests by outcome (delivered, rejected, no_receiver, timeout, shutting_down). */
  readonly deliveries: Counter<'outcome'>;
  /** Time from sending deliver_sm to its outcome, by outcome. */
  readonly deliverSeconds: Histogram<'outcome'>;
  /** Open EdgeDelivery streams from dispatchers. */
  readonly streams: Gauge;
}

/** Registers the delivery metrics in a service registry. */
export function createDeliveryMetrics(metrics: Metrics): DeliveryMetrics {
  return {
    deliveries: metrics.counter({
      name: 'edge_deliveries_total',
      help: 'Delivery report requests from dispatchers by outcome',
      labelNames: ['outcome'],
    }),
    deliverSeconds: metrics.histogram({
      name: 'edge_deliver_seconds',
      help: 'Time from sending deliver_sm to the client to its outcome',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
    streams: metrics.gauge({ name: 'edge_delivery_streams_open', help: 'Open EdgeDelivery streams' }),
  };
}
