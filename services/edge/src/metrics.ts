/**
 * The edge's metrics: what an operator watches — binds by result, submits by
 * the command_status they were answered with, how long PubAcks take, and how
 * many sessions and publishes are open.
 */
import type { Counter, Gauge, Histogram, Metrics } from '@smsgw/runtime';
import { commandStatusName } from '@smsgw/smpp';

/** What a publish ended as (edge_publish_seconds' `outcome` label). */
export type PublishOutcome = 'ok' | 'duplicate' | 'full_or_timeout' | 'error';

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
  /** Submits waiting for their PubAck: read at scrape time from the source given to countPublishesInFlight. */
  readonly publishesInFlight: Gauge;
  /** Sessions unbound because their account was disabled or removed. */
  readonly accountUnbinds: Counter;
  /**
   * Counts a request answered with `status` into `submits`: a plain number
   * per command and status, added to the counter when it is scraped (a
   * labelled prom-client inc() hashes its labels on every call, which showed
   * in the edge's CPU profile).
   */
  countAnswer(command: string, status: number): void;
  /** Observes a publish's duration into `publishSeconds`. */
  observePublish(outcome: PublishOutcome, seconds: number): void;
  /** Where `publishesInFlight` is read from at scrape time (the Edge's count). */
  countPublishesInFlight(source: () => number): void;
}

/** Answer counts not yet added to edge_submits_total. */
class AnswerCounts {
  readonly #byCommand = new Map<string, Map<number, { labels: Record<string, string>; pending: number }>>();

  add(command: string, status: number): void {
    let byStatus = this.#byCommand.get(command);
    if (byStatus === undefined) {
      byStatus = new Map();
      this.#byCommand.set(command, byStatus);
    }
    const entry = byStatus.get(status);
    if (entry === undefined) {
      byStatus.set(status, { labels: { command, command_status: commandStatusName(status) }, pending: 1 });
    } else {
      entry.pending++;
    }
  }

  /** Adds what was counted since the last flush to `counter`. */
  flushInto(counter: Counter<'command' | 'command_status'>): void {
    for (const byStatus of this.#byCommand.values()) {
      for (const entry of byStatus.values()) {
        if (entry.pending === 0) continue;
        counter.inc(entry.labels, entry.pending);
        entry.pending = 0;
      }
    }
  }
}

/** edge_publish_seconds' label sets, made once. */
const OUTCOME_LABELS: Readonly<Record<PublishOutcome, { readonly outcome: PublishOutcome }>> = {
  ok: { outcome: 'ok' },
  duplicate: { outcome: 'duplicate' },
  full_or_timeout: { outcome: 'full_or_timeout' },
  error: { outcome: 'error' },
};

/** Registers the edge's metrics in a service registry. */
export function createEdgeMetrics(metrics: Metrics): EdgeMetrics {
  const answers = new AnswerCounts();
  let publishesInFlight: () => number = () => 0;
  const publishSeconds = metrics.histogram({
    name: 'edge_publish_seconds',
    help: 'Time from publishing an accepted submit to its PubAck or failure',
    labelNames: ['outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
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
      collect() {
        answers.flushInto(this);
      },
    }),
    publishSeconds,
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
      collect() {
        this.set(publishesInFlight());
      },
    }),
    accountUnbinds: metrics.counter({
      name: 'edge_account_unbinds_total',
      help: 'Sessions unbound because their account was disabled or removed',
    }),
    countAnswer(command, status) {
      answers.add(command, status);
    },
    observePublish(outcome, seconds) {
      publishSeconds.observe(OUTCOME_LABELS[outcome], seconds);
    },
    countPublishesInFlight(source) {
      publishesInFlight = source;
    },
  };
}
