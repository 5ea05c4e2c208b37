/**
 * Message validity at the connector (README "Message validity"): a message
 * taken off its lane at or after its expiry is not handed to the network; it
 * ends EXPIRED with VALIDITY_ENDED_ERROR_CODE and the client gets its receipt.
 */
import { timestampMs } from '@bufbuild/protobuf/wkt';
import type { RoutedMessage } from '@smsgw/proto';

/**
 * The internal error code of a message whose validity ended before it was
 * sent: gateway origin 0x19 (docs/smpp-reference.md §7; its receipt `err:` is
 * 999, as for every 0x19 code).
 */
export const VALIDITY_ENDED_ERROR_CODE = 0x1901;

/** The expiry in ms since the epoch: the router's (capped by the account), else the client's; undefined for none. */
export function expiryMsOf(routed: RoutedMessage): number | undefined {
  const at = routed.expiresAt ?? routed.submit?.expiresAt;
  return at === undefined ? undefined : timestampMs(at);
}

/** True when the message's validity has ended at `nowMs`. */
export function hasExpired(routed: RoutedMessage, nowMs: number): boolean {
  const expiry = expiryMsOf(routed);
  return expiry !== undefined && nowMs >= expiry;
}
