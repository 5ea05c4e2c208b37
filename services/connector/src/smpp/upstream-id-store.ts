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
import { UPSTREAM_IDS_BUCKET, bucketTtlMsOf, ensureUpstreamIdsBucket, upstreamIdKey } from '@smsgw/nats';
import { MessageEnvelopeSchema, type MessageEnvelope } from '@smsgw/proto';

/** Reads and writes one connector's upstream id mappings. */
export interface UpstreamIdStore {
  /** Stores the mapping; resolves after the server stored it. */
  put(upstreamId: string, envelope: MessageEnvelope): Promise<void>;
  /** The envelope of the first id of `candidates` that has a mapping, or undefined. */
  get(candidates: readonly string[]): Promise<MessageEnvelope | undefined>;
  /** How long a mapping is kept: the bucket's TTL (ms) when it was opened, not a setting of this connector. */
  readonly ttlMs: number;
}

/** Options of openUpstreamIdStore. */
export interface UpstreamIdStoreOptions {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly connector: string;
  readonly replicas: number;
  /** The TTL of a bucket this connector creates (nothing provisioned it); an existing bucket keeps its own. */
  readonly ttlMs?: number;
}

/**
 * Ensures the bucket and opens it. The connector owns it, but its TTL is the provisioner's
 * (docs/configuration.md, "Stream limits"): `ttlMs` only shapes a bucket created here, and the
 * store keeps what the bucket has.
 */
export async function openUpstreamIdStore(options: UpstreamIdStoreOptions): Promise<UpstreamIdStore> {
  const info = await ensureUpstreamIdsBucket(options.jsm, {
    owner: 'connector',
    replicas: options.replicas,
    ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
  });
  const kv = await new Kvm(options.js).open(UPSTREAM_IDS_BUCKET, { bindOnly: true });
  return upstreamIdStoreOn(kv, options.connector, bucketTtlMsOf(info.config));
}

/** The store over an open bucket whose TTL is `ttlMs`. */
export function upstreamIdStoreOn(kv: KV, connector: string, ttlMs: number): UpstreamIdStore {
  return {
    ttlMs,
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
