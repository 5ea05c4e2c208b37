/**
 * The system's JetStream state as gauges, read at scrape time through
 * @smsgw/nats' jetstream-state: every smsgw stream's depth and oldest message,
 * the lag of every consumer except the per-account DLR ones (one per account:
 * their backlog is dlr_dispatcher_account_backlog_messages), and the age of
 * the oldest report of the accounts with the largest backlogs, and the
 * backlog's limits as the streams hold them (the provisioner's; a change is
 * seen at the next scrape: docs/configuration.md, "Stream limits"). The dispatcher
 * exports them because it already reads JetStream at scrape time; every
 * replica reports the same values: aggregate with max(), not sum()
 * (docs/operations.md, "Dashboard and alerts").
 */
import type { JetStreamManager } from '@nats-io/jetstream';
import {
  StreamName,
  SYSTEM_STREAMS,
  readConsumerLags,
  readDlrBacklogLimits,
  readDlrBacklogs,
  readStreamDepths,
  type ConsumerLag,
  type DlrBacklog,
  type DlrBacklogLimits,
  type StreamDepth,
} from '@smsgw/nats';
import type { Logger, Metrics } from '@smsgw/runtime';

/** How long one reading serves scrapes (all the gauges share it). */
const READING_MS = 1_000;

/** Streams whose consumers are reported one by one: not the per-account DLR backlogs. */
const LAGGED_STREAMS = SYSTEM_STREAMS.filter((s) => s !== StreamName.dlr && s !== StreamName.dlrPriority);

interface Reading {
  readonly depths: StreamDepth[];
  readonly lags: ConsumerLag[];
  readonly backlogs: DlrBacklog[];
  readonly limits: DlrBacklogLimits;
}

/** Registers the JetStream gauges; `accountLimit` bounds the accounts with an age series (DLR_METRICS_ACCOUNTS). */
export function observeJetStream(
  metrics: Metrics,
  jsm: JetStreamManager,
  accountLimit: number,
  logger: Logger,
): void {
  let reading: { at: number; value: Promise<Reading | undefined> } | undefined;
  const read = (): Promise<Reading | undefined> => {
    const now = performance.now();
    if (reading === undefined || now - reading.at > READING_MS) {
      const value = (async (): Promise<Reading> => ({
        depths: await readStreamDepths(jsm),
        lags: await readConsumerLags(jsm, LAGGED_STREAMS),
        backlogs: (await readDlrBacklogs(jsm, { ageOf: accountLimit })).slice(0, accountLimit),
        limits: await readDlrBacklogLimits(jsm),
      }))().catch((error: unknown) => {
        // The gauges keep their last values; the next scrape tries again.
        logger.warn({ err: error }, 'could not read JetStream for /metrics');
        return undefined;
      });
      reading = { at: now, value };
    }
    return reading.value;
  };
  metrics.gauge({
    name: 'smsgw_stream_messages',
    help: 'Messages in each smsgw JetStream stream',
    labelNames: ['stream'],
    async collect() {
      const r = await read();
      if (r === undefined) return;
      this.reset();
      for (const d of r.depths) this.set({ stream: d.stream }, d.messages);
    },
  });
  metrics.gauge({
    name: 'smsgw_stream_oldest_message_age_seconds',
    help: 'Age of the oldest message in each non-empty smsgw stream',
    labelNames: ['stream'],
    async collect() {
      const r = await read();
      if (r === undefined) return;
      this.reset();
      for (const d of r.depths)
        if (d.oldestAgeMs !== undefined) this.set({ stream: d.stream }, d.oldestAgeMs / 1000);
    },
  });
  metrics.gauge({
    name: 'smsgw_consumer_pending_messages',
    help: 'Messages not yet delivered to each consumer (num_pending), per-account DLR consumers excepted',
    labelNames: ['stream', 'consumer'],
    async collect() {
      const r = await read();
      if (r === undefined) return;
      this.reset();
      for (const l of r.lags) this.set({ stream: l.stream, consumer: l.consumer }, l.pending);
    },
  });
  metrics.gauge({
    name: 'smsgw_consumer_ack_pending_messages',
    help: 'Messages delivered to each consumer and not yet acked (num_ack_pending)',
    labelNames: ['stream', 'consumer'],
    async collect() {
      const r = await read();
      if (r === undefined) return;
      this.reset();
      for (const l of r.lags) this.set({ stream: l.stream, consumer: l.consumer }, l.ackPending);
    },
  });
  metrics.gauge({
    name: 'smsgw_consumer_redelivered_messages',
    help: 'Messages delivered more than once to each consumer and not yet acked (num_redelivered)',
    labelNames: ['stream', 'consumer'],
    async collect() {
      const r = await read();
      if (r === undefined) return;
      this.reset();
      for (const l of r.lags) this.set({ stream: l.stream, consumer: l.consumer }, l.redelivered);
    },
  });
  metrics.gauge({
    name: 'dlr_dispatcher_account_backlog_oldest_seconds',
    help: 'Age of the oldest waiting delivery report, for the accounts with the largest backlogs (DLR_METRICS_ACCOUNTS of them)',
    labelNames: ['account'],
    async collect() {
      const r = await read();
      if (r === undefined) return;
      this.reset();
      for (const b of r.backlogs)
        if (b.oldestAgeMs !== undefined) this.set({ account: b.account }, b.oldestAgeMs / 1000);
    },
  });
  metrics.gauge({
    name: 'dlr_dispatcher_backlog_limit_messages',
    help: 'Reports kept per account as the DLR streams hold it (the provisioner applies it): priority="all" in total, "1".."3" each',
    labelNames: ['priority'],
    async collect() {
      const r = await read();
      if (r === undefined) return;
      this.set({ priority: 'all' }, r.limits.dlrBacklogMax);
      for (const priority of ['1', '2', '3']) this.set({ priority }, r.limits.dlrPriorityBacklogMax);
    },
  });
  metrics.gauge({
    name: 'dlr_dispatcher_backlog_max_age_seconds',
    help: 'How long an undelivered report is kept, as the DLR streams hold it (the provisioner applies it)',
    async collect() {
      const r = await read();
      if (r === undefined) return;
      this.set(r.limits.dlrMaxAgeMs / 1000);
    },
  });
}
