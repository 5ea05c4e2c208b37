/**
 * The command_status a submit gets when its publish to JetStream fails
 * (docs/architecture.md invariant 1: never a false OK). Everything that passes on its own
 * is ESME_RMSGQFUL, a status clients retry: no PubAck in time, no responders
 * (a stream electing a leader after a NATS node died or hung: only the leader
 * listens on the stream's subjects), a lost or re-establishing connection,
 * JetStream saying it is full, busy, without a quorum or between leaders.
 * ESME_RSYSERR is kept for what is really broken and will not pass by waiting:
 * a refused message, a permission violation, JetStream disabled, a bug.
 * docs/operations.md ("What clients see") says why ESME_RMSGQFUL and not
 * ESME_RTHROTTLED, which the edge keeps for an account over its submit rate.
 */
import { JetStreamApiError } from '@nats-io/jetstream';
import {
  ClosedConnectionError,
  ConnectionError,
  DrainingConnectionError,
  NoRespondersError,
  TimeoutError,
} from '@nats-io/transport-node';
import { CommandStatus } from '@smsgw/smpp';

/**
 * JetStream API error codes that pass by waiting. Full or busy: storage or
 * memory exceeded (10047, 10028), store failed (10077), insufficient resources
 * (10023). Cluster in transition: incomplete (10004), no peers for placement
 * (10005), temporarily unavailable, i.e. no meta leader (10008), not the
 * leader (10009), peer not a member yet (10040), stream offline (10118).
 */
const TRANSIENT_CODES: ReadonlySet<number> = new Set([
  10047, 10028, 10077, 10023, 10004, 10005, 10008, 10009, 10040, 10118,
]);

/** Client errors that say the server did not answer in time or could not be reached: nothing was refused. */
const TRANSIENT_ERRORS = [
  TimeoutError,
  NoRespondersError,
  ConnectionError,
  ClosedConnectionError,
  DrainingConnectionError,
] as const;

function isTransientError(error: unknown): boolean {
  return TRANSIENT_ERRORS.some((type) => error instanceof type);
}

/** Causes looked through: nats.js wraps errors a few levels deep at most. */
const MAX_CAUSE_DEPTH = 4;

/** Whether a failed publish failed for a state that passes on its own (the client should retry). */
export function isTransientPublishError(error: unknown): boolean {
  // nats.js wraps a request's timeout or no-responders in a RequestError with the reason as cause, and
  // js.publish() wraps that no-responders once more, as JetStreamNotEnabled ("jetstream is not enabled").
  let cause: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && cause instanceof Error; depth++) {
    if (isTransientError(cause)) return true;
    cause = cause.cause;
  }
  return error instanceof JetStreamApiError && (TRANSIENT_CODES.has(error.code) || error.status === 503);
}

/** The status that answers a submit whose publish threw `error`. */
export function publishErrorStatus(error: unknown): number {
  return isTransientPublishError(error) ? CommandStatus.ESME_RMSGQFUL : CommandStatus.ESME_RSYSERR;
}
