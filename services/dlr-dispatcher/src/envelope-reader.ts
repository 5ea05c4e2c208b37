/**
 * The envelopes bucket as the status stage reads it: one read per status
 * event, so through the stream's direct get (`$JS.API.DIRECT.GET`, the raw
 * message) when the stream allows it. The topology's binding (kvm.open)
 * never says allow_direct, so @nats-io/kv falls back to the JetStream API's
 * MSG.GET: a JSON request answered with JSON and the value in base64, which
 * cost this process and nats-server more per event than the read itself.
 * A stream made without allow_direct keeps the API path.
 */
import type { JetStreamClient } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { BucketName } from '@smsgw/nats';

/** How the status stage reads envelopes: `envelopes` first, `envelopesFromLeader` when it finds nothing. */
export interface EnvelopeReaders {
  readonly envelopes: KV;
  /** Through the stream leader (MSG.GET); absent when `envelopes` reads through it already. */
  readonly envelopesFromLeader?: KV;
}

/**
 * Binds the envelopes bucket with direct gets when its stream (as `bound`
 * reports it) allows them, keeping `bound` (MSG.GET, answered by the leader)
 * for a direct get that finds nothing: a replica catching up after its node
 * rejoined answers "not found" for a value the leader has.
 */
export async function openEnvelopeReader(js: JetStreamClient, bound: KV): Promise<EnvelopeReaders> {
  const { streamInfo } = await bound.status();
  if (!streamInfo.config.allow_direct) return { envelopes: bound };
  return {
    envelopes: await new Kvm(js).open(BucketName.envelopes, { allow_direct: true }),
    envelopesFromLeader: bound,
  };
}
