/**
 * The mapping upstream message id → envelope, in the upstream ids KV bucket
 * (@smsgw/nats topology: UPSTREAM_IDS_BUCKET, key `<connector>.<canonical id>`).
 * Written before a submit is acked, so a receipt finds its message after any
 * crash; the envelope keeps the trace context, so the receipt's status event
 * continues the message's trace.
 */
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import {
  UPSTREAM_IDS_BUCKET,
  UPSTREAM_IDS_OWNER,
  ensureStream,
  mayUpdate,
  upstreamIdKey,
  upstreamIdsBucketSpec,
} from '@smsgw/nats';
import { MessageEnvelopeSchema, type MessageEnvelope } from '@smsgw/proto';

/** Reads and writes one connector's upstream id mappings. */
export interface UpstreamIdStore {
  /** Stores the mapping; resolves after the server stored it. */
  put(upstreamId: string, envelope: MessageEnvelope): Promise<void>;
  /** The envelope of the first id of `candidates` that has a mapping, or undefined. */
  get(candidates: readonly string[]): Promise<MessageEnvelope | undefined>;
}

/** Options of openUpstreamIdStore. */
export interface UpstreamIdStoreOptions {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly connector: string;
  readonly replicas: number;
  readonly ttlMs: number;
}

/** Ensures the bucket (the connector owns it: its TTL and replicas follow this connector's settings) and opens it. */
export async function openUpstreamIdStore(options: UpstreamIdStoreOptions): Promise<UpstreamIdStore> {
  await ensureStream(options.jsm, upstreamIdsBucketSpec(options.replicas, options.ttlMs), {
    update: mayUpdate('connector', UPSTREAM_IDS_OWNER),
  });
  const kv = await new Kvm(options.js).open(UPSTREAM_IDS_BUCKET, { bindOnly: true });
  return upstreamIdStoreOn(kv, options.connector);
}

/** The store over an open bucket. */
export function upstreamIdStoreOn(kv: KV, connector: string): UpstreamIdStore {
  return {
    async put(upstreamId, envelope) {
      await kv.put(upstreamIdKey(connector, upstreamId), toBinary(MessageEnvelopeSchema, envelope));
    },
    async get(candidates) {
      for (const id of candidates) {
        const entry = await kv.get(upstreamIdKey(connector, id));
        if (entry !== null && entry.operation === 'PUT' && entry.value.length > 0) {
          return fromBinary(MessageEnvelopeSchema, entry.value);
        }
      }
      return undefined;
    },
  };
}
