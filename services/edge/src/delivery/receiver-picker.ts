/**
 * Which bound session of an account gets the next delivery report: a receiver
 * or transceiver (never a transmitter: it cannot take deliver_sm, spec §2.3)
 * with room in its outbound window, the one with the most room first. A
 * session whose client stopped answering fills its window and so stops being
 * chosen: the window is the edge's self-imposed throttle.
 */
import type { SmppSession } from '@smsgw/smpp';
import type { BoundSession } from '../session/session-registry.ts';

/** Free slots of a session's outbound window (requests sent or queued and not yet answered count against it). */
export function freeWindowOf(session: SmppSession): number {
  return session.options.windowSize - session.inFlightRequests - session.queuedRequests;
}

/** True when the session can take deliver_sm now: bound as receiver or transceiver. */
export function canReceive(bound: BoundSession): boolean {
  if (bound.bindType === 'transmitter') return false;
  const state = bound.session.state;
  return state === 'bound_rx' || state === 'bound_trx';
}

/**
 * The receiving session with the most free window, or undefined when none has room; with `accepts`, only
 * among the sessions it accepts (an MO that needs message_payload: only SMPP 3.4 sessions).
 */
export function pickReceiver(
  candidates: readonly BoundSession[],
  accepts?: (bound: BoundSession) => boolean,
): BoundSession | undefined {
  let best: BoundSession | undefined;
  let bestFree = 0;
  for (const bound of candidates) {
    if (!canReceive(bound) || (accepts !== undefined && !accepts(bound))) continue;
    const free = freeWindowOf(bound.session);
    if (free > bestFree) {
      best = bound;
      bestFree = free;
    }
  }
  return best;
}

/** Free window of an account on this pod: the sum over its receiving sessions (what a Credit message announces). */
export function accountFreeWindow(candidates: readonly BoundSession[]): number {
  let free = 0;
  for (const bound of candidates) {
    if (canReceive(bound)) free += Math.max(0, freeWindowOf(bound.session));
  }
  return free;
}
