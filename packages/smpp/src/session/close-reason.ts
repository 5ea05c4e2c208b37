/**
 * Why a session closed. Every way a session can end maps to exactly one code,
 * so that an application can log it and decide whether to reconnect.
 */

/** The codes of `CloseReason`. */
export type CloseCode =
  /** `close()` was called. */
  | 'local-close'
  /** We sent unbind (`unbind()`); the handshake finished or timed out. */
  | 'local-unbind'
  /** The peer sent unbind; we answered unbind_resp. */
  | 'peer-unbind'
  /** The peer ended or closed the connection without unbind. */
  | 'peer-ended'
  /** The socket failed (ECONNRESET, EPIPE, TLS errors…); `error` holds the cause. */
  | 'socket-error'
  /** command_length out of range: the stream cannot be split into PDUs any more; `error` is a FramingError. */
  | 'framing-error'
  /** Our enquire_link went unanswered within the response timeout: dead peer. */
  | 'enquire-link-timeout'
  /** Nothing arrived from the peer within `inactivityTimeout`. */
  | 'inactivity-timeout'
  /** Server side: the peer did not bind within `bindTimeout`. */
  | 'bind-timeout'
  /** Server side: the peer sent more than `unboundMaxPdus` PDUs before binding. */
  | 'unbound-limit';

/** Why a session closed, with the underlying error where there is one. */
export interface CloseReason {
  readonly code: CloseCode;
  readonly error?: Error;
}
