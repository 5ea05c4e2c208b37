/**
 * The dispatcher's metrics: reports stored per outcome, what is stuck or lost
 * (retries, missing envelopes, poison) and how long building a report takes;
 * on the push side, attempts to the edges by outcome and how long they take,
 * how long a report waits from its creation to the client's deliver_sm_resp,
 * reports put back for later, accounts pumped and edge links open; read at
 * scrape time, the DLR backlog (in all, and for the accounts with the largest
 * backlogs, a bounded number of them) and the presence the dispatcher sees.
 */
import type { Counter, Gauge, Histogram, Metrics } from '@smsgw/runtime';

/** The dispatcher's metric handles. */
export interface DispatcherMetrics {
  /** Status events acked, by outcome: delivered (at once), stored (report in the backlog), skipped (registered_delivery said no). */
  readonly statuses: Counter<'outcome'>;
  /** Attempts that failed and were nak'ed for a later retry, by the step that failed. */
  readonly retried: Counter<'step'>;
  /** MOs settled, by outcome: delivered (at once), stored (in the account's backlog), retry (nak'ed), poison (terminated). */
  readonly mos: Counter<'outcome'>;
  /** Status events terminated because their envelope never appeared (no report can be built). */
  readonly envelopeMissing: Counter;
  /** Envelope reads a direct get did not find and that were asked again of the stream leader (older connectors' events only). */
  readonly envelopeLeaderReads: Counter;
  /** Status events terminated because they can never become a report (undecodable or incomplete). */
  readonly poison: Counter;
  /** Deliveries of a status event that had been delivered before. */
  readonly redelivered: Counter;
  /** Report publishes JetStream dropped as duplicates (a redelivered event whose report was already stored). */
  readonly duplicates: Counter;
  /** Status events being handled right now. */
  readonly inFlight: Gauge;
  /** Time from receiving a status event to acking it (envelope read, a hold for room, the attempt or the publish included). */
  readonly handleSeconds: Histogram;
  /** Push attempts to an edge, by outcome (delivered, rejected, timeout, no_receiver, shutting_down, link_*). */
  readonly pushes: Counter<'outcome'>;
  /** Time from sending a report to an edge to its outcome, by outcome. */
  readonly pushSeconds: Histogram<'outcome'>;
  /** Reports no pod took after every attempt, nak'ed back to the backlog for later. */
  readonly pushRetried: Counter;
  /** Backlog entries terminated because they are not delivery reports. */
  readonly backlogPoison: Counter;
  /**
   * Reports of the status and MO stages that found no room, by how their hold for room ended: room,
   * timeout, released (the account's pump or the dispatcher stopped), or skipped_slow, skipped_account_cap,
   * skipped_total_cap (not held: straight to the backlog). See direct-holds.ts.
   */
  readonly directWaits: Counter<'outcome'>;
  /** How long a held report waited, by how the hold ended (room, timeout, released). */
  readonly directWaitSeconds: Histogram<'outcome'>;
  /** Reports of the status and MO stages held for room now. */
  readonly directHeld: Gauge;
  /** Accounts whose backlog is being pumped (they have receivers bound somewhere). */
  readonly pumpedAccounts: Gauge;
  /** EdgeDelivery links to edge pods. */
  readonly edgeLinks: Gauge;
  /** Time from a report's creation (its status event handled) to its delivery (the client's ESME_ROK). */
  readonly deliverySeconds: Histogram;
  /** Reports in SMS_DLR waiting for a receiver, all accounts (read at scrape time; see observeBacklog). */
  readonly backlog: Gauge;
  /** Reports waiting per account, for the accounts with the largest backlogs (at most the configured limit). */
  readonly accountBacklog: Gauge<'account'>;
  /** Presence as this dispatcher sees it: (account, pod) entries and distinct edge pods holding receivers. */
  readonly presenceEntries: Gauge;
  /** Distinct edge pods holding receivers of some account. */
  readonly presencePods: Gauge;
  /** Where the backlog gauges are read from at scrape time: waiting reports by account. */
  observeBacklog(source: () => Promise<ReadonlyMap<string, number>>, accountLimit: number): void;
  /** Where the presence gauges are read from at scrape time. */
  observePresence(source: () => { readonly entries: number; readonly pods: number }): void;
}

/** How long one backlog reading serves scrapes (both backlog gauges share it). */
const BACKLOG_READING_MS = 1_000;

/** The accounts with the largest backlogs, at most `limit` of them. */
export function largestBacklogs(byAccount: ReadonlyMap<string, number>, limit: number): [string, number][] {
  return [...byAccount].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit);
}

/** Registers the dispatcher's metrics in a service registry. */
export function createDispatcherMetrics(metrics: Metrics): DispatcherMetrics {
  let readBacklog: (() => Promise<ReadonlyMap<string, number>>) | undefined;
  let accountLimit = 0;
  let reading: { at: number; value: Promise<ReadonlyMap<string, number> | undefined> } | undefined;
  /** One reading per scrape for both gauges; undefined when it failed (the gauges keep their last values). */
  const backlogReading = (): Promise<ReadonlyMap<string, number> | undefined> => {
    const source = readBacklog;
    if (source === undefined) return Promise.resolve(undefined);
    const now = performance.now();
    if (reading === undefined || now - reading.at > BACKLOG_READING_MS) {
      // The source logs its own failure (backlog-reading.ts); the gauges keep their last values.
      reading = { at: now, value: source().catch(() => undefined) };
    }
    return reading.value;
  };
  let readPresence: (() => { readonly entries: number; readonly pods: number }) | undefined;
  return {
    statuses: metrics.counter({
      name: 'dlr_dispatcher_statuses_total',
      help: 'Status events settled, by outcome (delivered, stored, skipped)',
      labelNames: ['outcome'],
    }),
    mos: metrics.counter({
      name: 'dlr_dispatcher_mos_total',
      help: 'MOs settled, by outcome (delivered, stored, retry, poison); their pushes count in dlr_dispatcher_pushes_total',
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
    envelopeLeaderReads: metrics.counter({
      name: 'dlr_dispatcher_envelope_leader_reads_total',
      help: 'Envelope reads not found by a direct get (a replica may lag) and asked again of the stream leader',
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
    directWaits: metrics.counter({
      name: 'dlr_dispatcher_direct_waits_total',
      help: 'Direct reports that found no room, by how their hold ended (room, timeout, released, skipped_slow, skipped_account_cap, skipped_total_cap)',
      labelNames: ['outcome'],
    }),
    directWaitSeconds: metrics.histogram({
      name: 'dlr_dispatcher_direct_wait_seconds',
      help: 'Time a direct report was held waiting for room, by how the hold ended (room, timeout, released)',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
    directHeld: metrics.gauge({
      name: 'dlr_dispatcher_direct_held',
      help: 'Direct reports held waiting for room now',
    }),
    pumpedAccounts: metrics.gauge({
      name: 'dlr_dispatcher_pumped_accounts',
      help: 'Accounts whose DLR backlog is being pumped (receivers bound somewhere)',
    }),
    edgeLinks: metrics.gauge({
      name: 'dlr_dispatcher_edge_links',
      help: 'EdgeDelivery links open to edge pods',
    }),
    deliverySeconds: metrics.histogram({
      name: 'dlr_dispatcher_delivery_latency_seconds',
      help: "Time from a delivery report's creation to the client's deliver_sm_resp ESME_ROK",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 86400],
    }),
    backlog: metrics.gauge({
      name: 'dlr_dispatcher_backlog_messages',
      help: 'Delivery reports waiting in SMS_DLR for a receiver, all accounts',
      async collect() {
        const byAccount = await backlogReading();
        if (byAccount === undefined) return;
        let total = 0;
        for (const n of byAccount.values()) total += n;
        this.set(total);
      },
    }),
    accountBacklog: metrics.gauge({
      name: 'dlr_dispatcher_account_backlog_messages',
      help: 'Delivery reports waiting in SMS_DLR, for the accounts with the largest backlogs (DLR_METRICS_ACCOUNTS of them)',
      labelNames: ['account'],
      async collect() {
        const byAccount = await backlogReading();
        if (byAccount === undefined) return;
        // Only the current largest: an account whose backlog emptied or fell out of the top leaves the series.
        this.reset();
        for (const [account, n] of largestBacklogs(byAccount, accountLimit)) this.set({ account }, n);
      },
    }),
    presenceEntries: metrics.gauge({
      name: 'dlr_dispatcher_presence_entries',
      help: 'Presence entries (an account with receivers on an edge pod) the dispatcher sees',
      collect() {
        if (readPresence !== undefined) this.set(readPresence().entries);
      },
    }),
    presencePods: metrics.gauge({
      name: 'dlr_dispatcher_presence_pods',
      help: 'Edge pods holding receivers of some account, as the dispatcher sees them',
      collect() {
        if (readPresence !== undefined) this.set(readPresence().pods);
      },
    }),
    observeBacklog(source, limit) {
      readBacklog = source;
      accountLimit = limit;
    },
    observePresence(source) {
      readPresence = source;
    },
  };
}
