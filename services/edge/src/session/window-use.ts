/**
 * How full the sessions' windows are, summed over this pod's bound sessions
 * (read at scrape time for the edge_session_window_* gauges; no per-session
 * labels, whatever the number of sessions).
 *
 * - submit window: the client's requests read and not yet answered — submits
 *   waiting for their PubAck — against the inbound window (EDGE_SMPP_WINDOW); a
 *   full one means the edge stopped reading the session. Transmitters and
 *   transceivers only (a receiver cannot submit).
 * - deliver window: our deliver_sm (and enquire_link) sent or queued and not
 *   yet answered against the outbound window, counted as the DLR receiver
 *   picker counts it; a full one means the client stopped answering and gets
 *   no more DLRs. Receivers and transceivers only (a transmitter gets no
 *   deliver_sm).
 */
import type { BoundSession } from './session-registry.ts';

/** One window kind over all sessions that have it. */
export interface WindowUse {
  /** Slots in use, summed over the sessions (each counted at most up to its window). */
  readonly used: number;
  /** Window slots, summed over the sessions. */
  readonly slots: number;
  /** Sessions whose window is full. */
  readonly full: number;
  /** The highest use ratio of one session (0 without sessions). */
  readonly maxRatio: number;
}

/** Both windows' use at one instant. */
export interface WindowUseReading {
  readonly submit: WindowUse;
  readonly deliver: WindowUse;
}

/** Sums a window kind as sessions are added. */
class WindowTally {
  used = 0;
  slots = 0;
  full = 0;
  maxRatio = 0;

  add(inUse: number, size: number): void {
    const used = Math.min(inUse, size);
    this.used += used;
    this.slots += size;
    if (used >= size) this.full++;
    const ratio = used / size;
    if (ratio > this.maxRatio) this.maxRatio = ratio;
  }
}

/** Reads the submit and deliver windows of the given sessions (grouped as the registry keeps them). */
export function readWindowUse(groups: Iterable<ReadonlySet<BoundSession>>): WindowUseReading {
  const submit = new WindowTally();
  const deliver = new WindowTally();
  for (const group of groups) {
    for (const { session, bindType } of group) {
      if (bindType !== 'receiver') submit.add(session.pendingInbound, session.options.inboundWindow);
      if (bindType !== 'transmitter') {
        deliver.add(session.inFlightRequests + session.queuedRequests, session.options.windowSize);
      }
    }
  }
  return { submit, deliver };
}
