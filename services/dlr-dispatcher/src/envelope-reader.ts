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

/** Binds the envelopes bucket with direct gets when its stream (as `bound` reports it) allows them. */
export async function openEnvelopeReader(js: JetStreamClient, bound: KV): Promise<KV> {
  const { streamInfo } = await bound.status();
  if (!streamInfo.config.allow_direct) return bound;
  return new Kvm(js).open(BucketName.envelopes, { allow_direct: true });
}
