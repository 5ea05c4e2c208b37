/**
 * The DLR backlog's limits as the streams hold them: what the provisioner
 * applied (docs/configuration.md, "Stream limits"), read back by the services
 * that need a limit instead of each configuring its own.
 */
import type { JetStreamManager, StreamConfig } from '@nats-io/jetstream';
import { millis } from '@nats-io/transport-node';
import { RAISED_PRIORITIES, StreamName } from './topology.ts';

/** The per-account caps and the age of the DLR backlog, in TopologyOptions' terms. */
export interface DlrBacklogLimits {
  /** Reports kept per account in total, all priorities (dlrBacklogMax). */
  readonly dlrBacklogMax: number;
  /** Reports kept per account and priority 1..3 (dlrPriorityBacklogMax). */
  readonly dlrPriorityBacklogMax: number;
  /** How long an undelivered report is kept, in milliseconds (dlrMaxAgeMs). */
  readonly dlrMaxAgeMs: number;
}

/** The limits from the configurations of SMS_DLR and SMS_DLR_PRIORITY. */
export function dlrBacklogLimitsOf(
  dlr: Pick<StreamConfig, 'max_msgs_per_subject' | 'max_age'>,
  dlrPriority: Pick<StreamConfig, 'max_msgs_per_subject'>,
): DlrBacklogLimits {
  return {
    dlrBacklogMax: dlr.max_msgs_per_subject + RAISED_PRIORITIES.length * dlrPriority.max_msgs_per_subject,
    dlrPriorityBacklogMax: dlrPriority.max_msgs_per_subject,
    dlrMaxAgeMs: millis(dlr.max_age),
  };
}

/** Reads the limits the DLR backlog streams have now (two stream info requests). */
export async function readDlrBacklogLimits(jsm: JetStreamManager): Promise<DlrBacklogLimits> {
  const [dlr, dlrPriority] = await Promise.all([
    jsm.streams.info(StreamName.dlr),
    jsm.streams.info(StreamName.dlrPriority),
  ]);
  return dlrBacklogLimitsOf(dlr.config, dlrPriority.config);
}
