/**
 * What the system's JetStream holds right now, read (never changed) through
 * the topology's names: each stream's depth, each consumer's lag, and each
 * account's DLR backlog with the age of its oldest report. `smsgw status`
 * prints it; the dispatcher's scrape-time gauges export it
 * (docs/operations.md, "Dashboard and alerts").
 */
import { JetStreamApiError, type JetStreamManager, type MsgRequest } from '@nats-io/jetstream';
import { TopologyError } from './errors.ts';
import { StreamName, SubjectRoot, parseAccountSubject } from './topology.ts';

/** The JetStream API's "stream not found" error code. */
const STREAM_NOT_FOUND = 10059;

/** One stream's depth. */
export interface StreamDepth {
  readonly stream: string;
  readonly messages: number;
  readonly bytes: number;
  /** The sequence of the last message ever stored: with a WorkQueue, how many it took in since it was made. */
  readonly lastSeq: number;
  readonly consumers: number;
  /** Age of the oldest message in milliseconds; undefined when the stream is empty. */
  readonly oldestAgeMs?: number;
}

/** One consumer's lag. */
export interface ConsumerLag {
  readonly stream: string;
  readonly consumer: string;
  /** Messages of its filter not yet delivered (num_pending). */
  readonly pending: number;
  /** Delivered and not yet acked (num_ack_pending). */
  readonly ackPending: number;
  /** Delivered more than once and not yet acked (num_redelivered). */
  readonly redelivered: number;
  /** Pull requests waiting: its readers (num_waiting). */
  readonly waiting: number;
  /** Its filter subject, when it has one (a lane's connector and priority are read from it). */
  readonly filterSubject?: string;
}

/** An account's DLR backlog, every priority summed. */
export interface DlrBacklog {
  readonly account: string;
  readonly messages: number;
  /** Age of its oldest waiting report in milliseconds, when read (readDlrBacklogs `ageOf`). */
  readonly oldestAgeMs?: number;
}

/** The smsgw streams, in topology order (StreamName). */
export const SYSTEM_STREAMS: readonly string[] = Object.values(StreamName);

/** The streams holding the per-account DLR backlogs. */
const DLR_STREAMS = [StreamName.dlr, StreamName.dlrPriority] as const;

function ageMs(timestamp: string | undefined, now: number): number | undefined {
  if (timestamp === undefined) return undefined;
  const at = Date.parse(timestamp);
  return Number.isNaN(at) ? undefined : Math.max(0, now - at);
}

function isStreamNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === STREAM_NOT_FOUND;
}

/** Depth of each smsgw stream that exists (a stream not created yet is left out). */
export async function readStreamDepths(
  jsm: JetStreamManager,
  streams: readonly string[] = SYSTEM_STREAMS,
  now = Date.now(),
): Promise<StreamDepth[]> {
  const out: StreamDepth[] = [];
  for (const stream of streams) {
    try {
      const { state } = await jsm.streams.info(stream);
      const oldestAgeMs = state.messages > 0 ? ageMs(state.first_ts, now) : undefined;
      out.push({
        stream,
        messages: state.messages,
        bytes: state.bytes,
        lastSeq: state.last_seq,
        consumers: state.consumer_count,
        ...(oldestAgeMs === undefined ? {} : { oldestAgeMs }),
      });
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
  }
  return out;
}

/** Every consumer of the given streams with its lag (a stream not created yet has none). */
export async function readConsumerLags(
  jsm: JetStreamManager,
  streams: readonly string[],
): Promise<ConsumerLag[]> {
  const out: ConsumerLag[] = [];
  for (const stream of streams) {
    try {
      for await (const info of jsm.consumers.list(stream)) {
        out.push({
          stream,
          consumer: info.name,
          pending: info.num_pending,
          ackPending: info.num_ack_pending,
          redelivered: info.num_redelivered,
          waiting: info.num_waiting,
          ...(info.config.filter_subject === undefined || info.config.filter_subject === ''
            ? {}
            : { filterSubject: info.config.filter_subject }),
        });
      }
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
  }
  return out.sort((a, b) => a.stream.localeCompare(b.stream) || a.consumer.localeCompare(b.consumer));
}

/** The account of a backlog subject, or the raw subject when it is not one of ours. */
function accountOf(subject: string): string {
  try {
    return parseAccountSubject(subject).account;
  } catch (error) {
    if (error instanceof TopologyError) return subject;
    throw error;
  }
}

/** Waiting reports per backlog subject (`sms.dlr.<account>`, `sms.dlr.<prio>.<account>`), both streams. */
async function backlogSubjects(
  jsm: JetStreamManager,
): Promise<{ stream: string; subject: string; n: number }[]> {
  const out: { stream: string; subject: string; n: number }[] = [];
  for (const stream of DLR_STREAMS) {
    try {
      const info = await jsm.streams.info(stream, { subjects_filter: `${SubjectRoot.dlr}.>` });
      for (const [subject, n] of Object.entries(info.state.subjects ?? {})) out.push({ stream, subject, n });
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
  }
  return out;
}

/** The time of the oldest message on `subject` in `stream`, or undefined when there is none. */
async function oldestOn(jsm: JetStreamManager, stream: string, subject: string): Promise<number | undefined> {
  // STREAM.MSG.GET's "first message on this subject at or after seq" (nats-server 2.9+); the client's
  // MsgRequest type does not list it yet, but it sends the request as given.
  const query = { seq: 0, next_by_subj: subject };
  const found = await jsm.streams.getMessage(stream, query satisfies MsgRequest);
  return found === null ? undefined : found.time.getTime();
}

/** Options of readDlrBacklogs. */
export interface DlrBacklogOptions {
  /** Read the oldest report's age of the `ageOf` largest backlogs (one request per subject each); default all. */
  readonly ageOf?: number;
  readonly now?: number;
}

/** Each account's DLR backlog, largest first, with the age of its oldest report for the largest `ageOf`. */
export async function readDlrBacklogs(
  jsm: JetStreamManager,
  options: DlrBacklogOptions = {},
): Promise<DlrBacklog[]> {
  const now = options.now ?? Date.now();
  const subjects = await backlogSubjects(jsm);
  const byAccount = new Map<string, { messages: number; subjects: { stream: string; subject: string }[] }>();
  for (const { stream, subject, n } of subjects) {
    const account = accountOf(subject);
    const entry = byAccount.get(account) ?? { messages: 0, subjects: [] };
    entry.messages += n;
    entry.subjects.push({ stream, subject });
    byAccount.set(account, entry);
  }
  const sorted = [...byAccount].sort((a, b) => b[1].messages - a[1].messages || a[0].localeCompare(b[0]));
  const ageOf = options.ageOf ?? sorted.length;
  const out: DlrBacklog[] = [];
  for (const [i, [account, entry]] of sorted.entries()) {
    if (i >= ageOf) {
      out.push({ account, messages: entry.messages });
      continue;
    }
    const times = await Promise.all(entry.subjects.map((s) => oldestOn(jsm, s.stream, s.subject)));
    const known = times.filter((t): t is number => t !== undefined);
    out.push(
      known.length === 0
        ? { account, messages: entry.messages }
        : { account, messages: entry.messages, oldestAgeMs: Math.max(0, now - Math.min(...known)) },
    );
  }
  return out;
}
