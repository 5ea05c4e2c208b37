/**
 * When, during a drain, each bound session is sent its unbind: spread evenly
 * over a window instead of all at once, so that the clients of a pod that is
 * being upgraded do not all reconnect to the other pods in the same instant
 * (docs/architecture.md: clients reconnect after an unbind; a rolling upgrade should look
 * like a trickle to the remaining pods, not a storm).
 *
 * Session i of n (0-based) is unbound `i × spreadMs / n` after the drain
 * starts; the first goes at once and the last one at most spreadMs later.
 * Until its turn a session is served as usual.
 */

/** The delay in ms before the unbind of session `index` of `count`, over a window of `spreadMs`. */
export function unbindDelayMs(index: number, count: number, spreadMs: number): number {
  if (count <= 1 || spreadMs <= 0) return 0;
  return Math.floor((index * spreadMs) / count);
}
