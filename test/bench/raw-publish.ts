/**
 * The bench's yardstick: the rate of async JetStream publishes one Node
 * process (the bench itself, on a connection of its own made the way the
 * services make theirs) gets from the same nats-server, with the same number
 * in flight, the same payload size and the same headers (Nats-Msg-Id and
 * traceparent) as the edge's submits, into a scratch stream configured like
 * SMS_SUBMIT (file storage, WorkQueue, same duplicate window). The stream is
 * deleted afterwards.
 */
import { performance } from 'node:perf_hooks';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { connectNats, Header, type Topology } from '@smsgw/nats';

/** Name and subject of the scratch stream. */
const RAW_STREAM = 'BENCH_RAW';
const RAW_SUBJECT = 'bench.raw.publish';

/** What the raw phase measured. */
export interface RawResult {
  readonly published: number;
  readonly failed: number;
  /** Why the first failed publish failed, if one did. */
  readonly firstError: string | undefined;
  readonly seconds: number;
}

/** Options of runRawPublishes. */
export interface RawOptions {
  readonly url: string;
  readonly topology: Topology;
  /** The bench's setup connection (creates and deletes the scratch stream). */
  readonly nc: NatsConnection;
  readonly messages: number;
  readonly inFlight: number;
  readonly payload: Uint8Array;
  readonly timeoutMs: number;
  /**
   * Connect with nats.js' `noAsyncTraces`: no Error with a stack trace made per
   * request. The default (false) is what a plain js.publish() costs.
   */
  readonly noAsyncTraces: boolean;
}

/** Publishes `messages` copies of `payload` keeping `inFlight` unacknowledged; resolves with the rate. */
export async function runRawPublishes(o: RawOptions): Promise<RawResult> {
  const jsm = await jetstreamManager(o.nc);
  const submit = o.topology.streams.submit.config;
  await jsm.streams.add({
    ...submit,
    name: RAW_STREAM,
    subjects: [RAW_SUBJECT],
    description: 'smsgw gateway bench: raw publishes (deleted after the run)',
  });
  const nc = await connectNats({ servers: o.url, name: 'smsgw-bench-raw', noAsyncTraces: o.noAsyncTraces });
  try {
    const js = jetstream(nc);
    // Ids shaped like the edge's (19 digits), unique per publish so that none is deduplicated.
    const idBase = 1_000_000_000_000_000_000n + BigInt(Date.now()) * 1_000_000n;
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    let next = 0;
    let failed = 0;
    let firstError: string | undefined;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (next < o.messages) {
        const i = next++;
        const h = headers();
        h.set(Header.traceparent, traceparent);
        try {
          await js.publish(RAW_SUBJECT, o.payload, {
            msgID: (idBase + BigInt(i)).toString(),
            headers: h,
            timeout: o.timeoutMs,
          });
        } catch (error) {
          // Counted and reported with the first reason: a failed publish is not part of the rate.
          failed++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(o.inFlight, o.messages) }, worker));
    const seconds = (performance.now() - started) / 1000;
    return { published: o.messages - failed, failed, firstError, seconds };
  } finally {
    await nc.close();
    await jsm.streams.delete(RAW_STREAM);
  }
}
