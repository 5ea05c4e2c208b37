/**
 * The command_status a submit gets when its publish to JetStream fails
 * (DESIGN.md invariant 1: never a false OK). Slow or full — no PubAck in time,
 * JetStream reporting it is out of resources or temporarily unavailable —
 * is ESME_RMSGQFUL (clients retry soon); anything else (no connection, no
 * JetStream, a refused message) is ESME_RSYSERR. Both are transient to
 * clients such as Kannel.
 */
import { JetStreamApiError } from '@nats-io/jetstream';
import { TimeoutError } from '@nats-io/transport-node';
import { CommandStatus } from '@smsgw/smpp';

/** JetStream API error codes that mean "full or busy": insufficient resources, storage exceeded, store failed (max messages/bytes), cluster unavailable. */
const FULL_CODES: ReadonlySet<number> = new Set([10047, 10028, 10077, 10008, 10023]);

/** The status that answers a submit whose publish threw `error`. */
export function publishErrorStatus(error: unknown): number {
  if (error instanceof TimeoutError || (error instanceof Error && error.cause instanceof TimeoutError)) {
    return CommandStatus.ESME_RMSGQFUL;
  }
  if (error instanceof JetStreamApiError && (FULL_CODES.has(error.code) || error.status === 503)) {
    return CommandStatus.ESME_RMSGQFUL;
  }
  return CommandStatus.ESME_RSYSERR;
}
