/**
 * The idle heartbeat every pull request asks for. A pull request lives on the
 * consumer's leader: when that leader dies or hangs (a NATS node killed or
 * frozen), the request is gone without a word, and the client learns it only
 * from two missed heartbeats (nats.js ends the pull with "heartbeats missed").
 * nats.js' default heartbeat is half the pull's expiry (2.5 s for a 5 s pull:
 * 5 s to notice); one second makes the next pull, which reaches the new
 * leader, go out within about 2 s (docs/operations.md, "Recovery time"). Its
 * cost is one small message per open pull per second while the pull is idle.
 */

/** The heartbeat interval asked of the server for a pull that expires after `expiresMs`. */
export const PULL_HEARTBEAT_MS = 1_000;

/** fetch() options: `max_messages`, `expires` and the idle heartbeat (at most half the expiry, at least 500 ms, the client's floor). */
export function pullOptions(
  maxMessages: number,
  expiresMs: number,
): { max_messages: number; expires: number; idle_heartbeat: number } {
  return {
    max_messages: maxMessages,
    expires: expiresMs,
    idle_heartbeat: Math.max(500, Math.min(PULL_HEARTBEAT_MS, Math.floor(expiresMs / 2))),
  };
}
