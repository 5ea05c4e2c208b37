/**
 * The bench's yardstick: the rate of async JetStream publishes one Node
 * process (the bench itself, on a connection of its own made the way the
 * services make theirs) gets from the same nats-server, with the same number
 * in flight and the same headers (Nats-Msg-Id and traceparent) as the edge's
 * submits. Two targets:
 *
 * - `pipeline`: the edge's own subject (sms.submit.<account> on SMS_SUBMIT),
 *   each message a SubmitAccepted as the edge would publish it, under an id
 *   of its own, so that the router, connector and dispatcher process these
 *   exactly as they process the edge's: the publisher competes for the same
 *   cores and the same nats-server as the edge did.
 * - `scratch`: a scratch stream configured like SMS_SUBMIT (file storage,
 *   WorkQueue, same duplicate window) that nothing consumes, deleted
 *   afterwards: what one process gets from an otherwise idle server.
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

/** Where the raw publishes go (see the module comment). */
export type RawTarget =
  | { readonly kind: 'scratch'; readonly payload: Uint8Array }
  | {
      readonly kind: 'pipeline';
      readonly subject: string;
      /** The payload published under message id `id` (encode them before timing: see runRawPublishes). */
      readonly payloadFor: (id: string) => Uint8Array;
    };

/** Options of runRawPublishes. */
export interface RawOptions {
  readonly url: string;
  readonly topology: Topology;
  /** The bench's setup connection (creates and deletes the scratch stream). */
  readonly nc: NatsConnection;
  readonly messages: number;
  readonly inFlight: number;
  readonly target: RawTarget;
  readonly timeoutMs: number;
  /**
   * Connect with nats.js' `noAsyncTraces`: no Error with a stack trace made per
   * request. The default (false) is what a plain js.publish() costs.
   */
  readonly noAsyncTraces: boolean;
}

/** Publishes `messages` messages to the target keeping `inFlight` unacknowledged; resolves with the rate. */
export async function runRawPublishes(o: RawOptions): Promise<RawResult> {
  const jsm = await jetstreamManager(o.nc);
  const scratch = o.target.kind === 'scratch';
  if (scratch) {
    await jsm.streams.add({
      ...o.topology.streams.submit.config,
      name: RAW_STREAM,
      subjects: [RAW_SUBJECT],
      description: 'smsgw gateway bench: raw publishes (deleted after the run)',
    });
  }
  // Ids shaped like the edge's (19 digits), unique per publish so that none is deduplicated.
  const idBase = 1_000_000_000_000_000_000n + BigInt(Date.now()) * 1_000_000n;
  const ids = Array.from({ length: o.messages }, (_, i) => (idBase + BigInt(i)).toString());
  // Made before the clock starts: the yardstick is the publish alone.
  const target = o.target;
  const subject = target.kind === 'scratch' ? RAW_SUBJECT : target.subject;
  const payloads = ids.map((id) => (target.kind === 'scratch' ? target.payload : target.payloadFor(id)));
  const nc = await connectNats({ servers: o.url, name: 'smsgw-bench-raw', noAsyncTraces: o.noAsyncTraces });
  try {
    const js = jetstream(nc);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    let next = 0;
    let failed = 0;
    let firstError: string | undefined;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (next < o.messages) {
        const i = next++;
        const id = ids[i];
        const payload = payloads[i];
        if (id === undefined || payload === undefined) break;
        const h = headers();
        h.set(Header.traceparent, traceparent);
        try {
          await js.publish(subject, payload, {
            msgID: id,
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
    if (scratch) await jsm.streams.delete(RAW_STREAM);
  }
}
