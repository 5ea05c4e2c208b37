/**
 * `smsgw start --stats`: a one-line live summary every few seconds, read
 * from JetStream (no scraping): submits/s from the submit streams' last
 * sequence (one message per accepted submit), DLRs/s from the DLR streams'
 * (one per report stored for a customer), and the DLR backlog and the
 * messages still on their way (submit, route and status streams).
 */
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { StreamName, readStreamDepths } from '@smsgw/nats';
import { println, type CliIo } from '../cli-io.ts';

/** What one reading counts. */
export interface StatsSample {
  /** When it was read (ms). */
  readonly at: number;
  /** Submits accepted since the streams were made (their last sequences). */
  readonly submits: number;
  /** DLRs stored since the streams were made. */
  readonly dlrs: number;
  /** DLRs waiting for a receiver. */
  readonly backlog: number;
  /** Messages between the edge and the connector's status: in SMS_SUBMIT*, SMS_ROUTE, SMS_STATUS*. */
  readonly inFlight: number;
}

const SUBMIT_STREAMS: readonly string[] = [StreamName.submit, StreamName.submitPriority];
const DLR_STREAMS: readonly string[] = [StreamName.dlr, StreamName.dlrPriority];
const IN_FLIGHT_STREAMS: readonly string[] = [
  StreamName.submit,
  StreamName.submitPriority,
  StreamName.route,
  StreamName.status,
  StreamName.statusPriority,
];

/** Reads one sample (a stream not made yet counts 0). */
export async function readStatsSample(jsm: JetStreamManager, at = Date.now()): Promise<StatsSample> {
  const depths = await readStreamDepths(jsm, [
    ...new Set([...SUBMIT_STREAMS, ...DLR_STREAMS, ...IN_FLIGHT_STREAMS]),
  ]);
  const sum = (streams: readonly string[], field: 'lastSeq' | 'messages'): number =>
    depths.filter((d) => streams.includes(d.stream)).reduce((n, d) => n + d[field], 0);
  return {
    at,
    submits: sum(SUBMIT_STREAMS, 'lastSeq'),
    dlrs: sum(DLR_STREAMS, 'lastSeq'),
    backlog: sum(DLR_STREAMS, 'messages'),
    inFlight: sum(IN_FLIGHT_STREAMS, 'messages'),
  };
}

/** `stats: 412.3 submits/s, 398.0 DLRs/s, DLR backlog 12, in flight 40`: the rates between two samples. */
export function statsLine(previous: StatsSample, current: StatsSample): string {
  const seconds = (current.at - previous.at) / 1000;
  // A stream made again (or purged) starts its sequence anew: never a negative rate.
  const rate = (from: number, to: number): string =>
    (seconds > 0 ? Math.max(0, to - from) / seconds : 0).toFixed(1);
  return (
    `stats: ${rate(previous.submits, current.submits)} submits/s, ${rate(previous.dlrs, current.dlrs)} DLRs/s, ` +
    `DLR backlog ${current.backlog}, in flight ${current.inFlight}`
  );
}

/** Prints a stats line every `everyMs` until stopped; a failed reading is reported on its line and retried next time. */
export function startLiveStats(nc: NatsConnection, io: CliIo, everyMs: number): { stop(): void } {
  let previous: StatsSample | undefined;
  let reading = false;
  const tick = async (): Promise<void> => {
    if (reading) return;
    reading = true;
    try {
      const current = await readStatsSample(await jetstreamManager(nc));
      if (previous !== undefined) println(io, statsLine(previous, current));
      previous = current;
    } catch (err) {
      println(io, `stats: not read (${err instanceof Error ? err.message : String(err)})`);
    } finally {
      reading = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), everyMs);
  return {
    stop() {
      clearInterval(timer);
    },
  };
}
