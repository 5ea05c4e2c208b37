/**
 * The router's metrics: what an operator watches to see that submits flow
 * (routed per lane), that nothing is stuck (retries, redeliveries, poison) and
 * how long routing takes.
 */
import type { Counter, Gauge, Histogram, Metrics } from '@smsgw/runtime';

/** The router's metric handles. */
export interface RouterMetrics {
  /** Submits routed and acked, by connector and effective priority. */
  readonly routed: Counter<'connector' | 'priority'>;
  /** Attempts that failed and were nak'ed for a later retry, by the step that failed. */
  readonly retried: Counter<'step'>;
  /** Submits terminated because they can never be routed (undecodable or incomplete). */
  readonly poison: Counter;
  /** Deliveries of a submit that had been delivered before (a crashed replica's, a nak, an expired ack_wait). */
  readonly redelivered: Counter;
  /** Publishes JetStream dropped as duplicates of an earlier one (a redelivery after a crash before the ack). */
  readonly duplicates: Counter;
  /** Submits whose priority the account's rules lowered. */
  readonly priorityLowered: Counter;
  /** Submits routed with the default rules because their account is unknown. */
  readonly unknownAccount: Counter;
  /** Submits routed past a connector of their route because it was down (the connector skipped). */
  readonly failovers: Counter<'connector'>;
  /** Submits being routed right now. */
  readonly inFlight: Gauge;
  /** Time from receiving a submit to acking it (KV put and publish included). */
  readonly routeSeconds: Histogram;
  /** Time from the edge accepting a submit to the router acking it: the SMS_SUBMIT queueing delay included. */
  readonly submitAgeSeconds: Histogram;
}

/** Registers the router's metrics in a service registry. */
export function createRouterMetrics(metrics: Metrics): RouterMetrics {
  return {
    routed: metrics.counter({
      name: 'router_submits_routed_total',
      help: 'Submits routed to a connector lane and acked',
      labelNames: ['connector', 'priority'],
    }),
    retried: metrics.counter({
      name: 'router_submits_retried_total',
      help: 'Routing attempts that failed and were nak-ed with a delay, by failed step',
      labelNames: ['step'],
    }),
    poison: metrics.counter({
      name: 'router_submits_poison_total',
      help: 'Submits terminated because they can never be routed',
    }),
    redelivered: metrics.counter({
      name: 'router_submits_redelivered_total',
      help: 'Submit deliveries that were redeliveries',
    }),
    duplicates: metrics.counter({
      name: 'router_route_duplicates_total',
      help: 'Routed-message publishes dropped by JetStream as duplicates',
    }),
    failovers: metrics.counter({
      name: 'router_failovers_total',
      help: 'Submits routed past a down connector of their route, by the connector skipped',
      labelNames: ['connector'],
    }),
    priorityLowered: metrics.counter({
      name: 'router_priority_lowered_total',
      help: "Submits whose priority the account's rules lowered",
    }),
    unknownAccount: metrics.counter({
      name: 'router_unknown_account_total',
      help: 'Submits routed with default rules because the account is unknown',
    }),
    inFlight: metrics.gauge({ name: 'router_in_flight', help: 'Submits being routed now' }),
    routeSeconds: metrics.histogram({
      name: 'router_route_duration_seconds',
      help: 'Time from receiving a submit to acking it',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    }),
    submitAgeSeconds: metrics.histogram({
      name: 'router_submit_age_seconds',
      help: 'Time from the edge accepting a submit to the router acking it',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
    }),
  };
}
