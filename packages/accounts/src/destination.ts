/**
 * Destination prefix matching, shared by priority rules and routes. Prefixes
 * are international digits; a destination may arrive as `+4512345678` or
 * `4512345678` (TON 1, or TON 0 treated as 1), so a leading '+' is skipped.
 * No allocation: this runs for every routed message.
 */

const PLUS = 0x2b;

/** Whether a destination number starts with a digit prefix, ignoring a leading '+' on the destination. */
export function hasDestinationPrefix(destination: string, prefix: string): boolean {
  return destination.startsWith(prefix, destination.charCodeAt(0) === PLUS ? 1 : 0);
}
