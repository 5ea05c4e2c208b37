/**
 * Reads SMS_STATUS and SMS_STATUS_PRIORITY as the DLR dispatcher would,
 * through its durable consumers (the streams are WorkQueues: no other
 * consumer may read them), when no dispatcher runs.
 */
import { fromBinary } from '@bufbuild/protobuf';
import type { JetStreamClient } from '@nats-io/jetstream';
import { dlrDispatcherLanes } from '@smsgw/nats';
import { StatusEventSchema, type StatusEvent } from '@smsgw/proto';

/**
 * Takes (and acks) status events until every message id in `ids` has a final
 * (non-intermediate) one, then once more for `settleMs` to catch extras.
 * Throws when `timeoutMs` passes first. Resolves with all events by message id.
 */
export async function collectStatusEvents(
  js: JetStreamClient,
  ids: readonly string[],
  { timeoutMs, settleMs }: { timeoutMs: number; settleMs: number },
): Promise<Map<string, StatusEvent[]>> {
  // Every priority: events of messages of priority 1..3 are in SMS_STATUS_PRIORITY.
  const consumers = await Promise.all(
    dlrDispatcherLanes().map((lane) => js.consumers.get(lane.stream, lane.consumer)),
  );
  const byId = new Map<string, StatusEvent[]>();
  const hasFinal = (id: string) => byId.get(id)?.some((e) => !e.intermediate) === true;
  const deadline = Date.now() + timeoutMs;
  const take = async (expires: number) => {
    await Promise.all(
      consumers.map(async (consumer) => {
        const batch = await consumer.fetch({ max_messages: 100, expires });
        for await (const m of batch) {
          const event = fromBinary(StatusEventSchema, m.data);
          byId.set(event.messageId, [...(byId.get(event.messageId) ?? []), event]);
          m.ack();
        }
      }),
    );
  };
  while (!ids.every(hasFinal)) {
    const left = deadline - Date.now();
    if (left <= 0) {
      const missing = ids.filter((id) => !hasFinal(id));
      throw new Error(`no final status within ${timeoutMs} ms for ${missing.join(', ')}`);
    }
    await take(Math.max(1_000, Math.min(left, 2_000)));
  }
  // A pull without an expiry would wait for ever: no settling pull when none is asked for.
  if (settleMs > 0) await take(Math.max(1_000, settleMs));
  return byId;
}
