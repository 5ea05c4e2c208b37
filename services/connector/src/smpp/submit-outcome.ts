/**
 * What a submit_sm_resp command_status means for the message (README "Upstream
 * answers"): accepted, retry later (transient: the worker naks with back-off),
 * the route's next connector (CONNECTOR_TRY_NEXT_STATUSES), or a final refusal
 * reported as REJECTED/UNDELIVERABLE with an internal error code.
 */
import { MessageState } from '@smsgw/proto';
import { CommandStatus, isTransientStatus } from '@smsgw/smpp';

/** What to do after a submit_sm_resp. */
export type SubmitOutcome =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'transient' }
  | { readonly kind: 'try-next' }
  | { readonly kind: 'refused'; readonly messageState: MessageState; readonly errorCode: number };

/** Origin byte of the internal error codes made from an upstream's command_status (0x10 is SMS, 0x19 gateway). */
export const UPSTREAM_REFUSAL_ORIGIN = 0x1100;

/** Upstream refusals that have an SMS error code of their own (the sim's table uses the same codes). */
const SPECIFIC: ReadonlyMap<number, { readonly messageState: MessageState; readonly errorCode: number }> =
  new Map([
    [CommandStatus.ESME_RINVDSTADR, { messageState: MessageState.REJECTED, errorCode: 0x1060 }],
    [CommandStatus.ESME_RSUBMITFAIL, { messageState: MessageState.UNDELIVERABLE, errorCode: 0x1145 }],
  ]);

/** Statuses that say the session, not the message, is wrong: retried (another session may take it). */
const SESSION_STATUSES: ReadonlySet<number> = new Set([
  CommandStatus.ESME_RINVBNDSTS,
  CommandStatus.ESME_RALYBND,
  CommandStatus.ESME_RBINDFAIL,
]);

/**
 * The internal error code of a refusal: 0x11xx with the command_status in the
 * low byte (ESME_RINVSRCADR 0x0A → 0x110A, a receipt's err:266), 0x11FF for a
 * status above 0xFF (vendor-specific).
 */
export function refusalErrorCode(commandStatus: number): number {
  return UPSTREAM_REFUSAL_ORIGIN | (commandStatus > 0xff ? 0xff : commandStatus);
}

/** The outcome of a submit_sm_resp's command_status. */
export function submitOutcomeOf(commandStatus: number, tryNext: ReadonlySet<number>): SubmitOutcome {
  if (commandStatus === CommandStatus.ESME_ROK) return { kind: 'accepted' };
  if (tryNext.has(commandStatus)) return { kind: 'try-next' };
  if (isTransientStatus(commandStatus) || SESSION_STATUSES.has(commandStatus)) return { kind: 'transient' };
  const specific = SPECIFIC.get(commandStatus);
  if (specific !== undefined) return { kind: 'refused', ...specific };
  return { kind: 'refused', messageState: MessageState.REJECTED, errorCode: refusalErrorCode(commandStatus) };
}
