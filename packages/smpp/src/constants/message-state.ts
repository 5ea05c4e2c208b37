/**
 * message_state values (SMPP 3.4 §5.2.28, TLV 0x0427 and query_sm_resp;
 * SMPP 5.0 §4.7.15 adds SCHEDULED and SKIPPED and marks which are final).
 */
export const MessageState = {
  /** 5.0: scheduled, delivery not yet initiated (intermediate). */
  SCHEDULED: 0,
  /** Active in the MC, possibly in retry (intermediate). */
  ENROUTE: 1,
  DELIVERED: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIVERABLE: 5,
  /** Read on the subscriber's behalf, e.g. by customer service (final). */
  ACCEPTED: 6,
  /** "Message is in invalid state": neither intermediate nor final in 5.0. */
  UNKNOWN: 7,
  REJECTED: 8,
  /** 5.0: accepted but not transmitted on the network (final). */
  SKIPPED: 9,
} as const;

/** The name of a message_state, e.g. `DELIVERED`. */
export type MessageStateName = keyof typeof MessageState;

/** A message_state value, 0..9. */
export type MessageStateValue = (typeof MessageState)[MessageStateName];

/**
 * The 7-character `stat:` word of a delivery receipt for each state (3.4
 * Appendix B). 3.4 has no word for SCHEDULED; 3.4 MCs report scheduled
 * messages as ENROUTE, so we do too. SKIPPED is 7 characters already, and
 * receivers that do not know it file it as a failure (anything not DELIVRD),
 * which it is.
 */
export const ReceiptStat = {
  SCHEDULED: 'ENROUTE',
  ENROUTE: 'ENROUTE',
  DELIVERED: 'DELIVRD',
  EXPIRED: 'EXPIRED',
  DELETED: 'DELETED',
  UNDELIVERABLE: 'UNDELIV',
  ACCEPTED: 'ACCEPTD',
  UNKNOWN: 'UNKNOWN',
  REJECTED: 'REJECTD',
  SKIPPED: 'SKIPPED',
} as const satisfies Record<MessageStateName, string>;

/** A receipt `stat:` word this library writes, e.g. `DELIVRD`. */
export type ReceiptStatWord = (typeof ReceiptStat)[MessageStateName];

const names: readonly MessageStateName[] = [
  'SCHEDULED',
  'ENROUTE',
  'DELIVERED',
  'EXPIRED',
  'DELETED',
  'UNDELIVERABLE',
  'ACCEPTED',
  'UNKNOWN',
  'REJECTED',
  'SKIPPED',
];

/** The name of a message_state, or undefined outside 0..9. */
export function messageStateName(state: number): MessageStateName | undefined {
  return Number.isInteger(state) ? names[state] : undefined;
}

/** True for a message_state value 0..9. */
export function isMessageState(state: number): state is MessageStateValue {
  return messageStateName(state) !== undefined;
}

/**
 * The receipt `stat:` word for a message_state. A value outside 0..9 gives
 * `UNKNOWN`, the spec's word for "message is in invalid state".
 */
export function receiptStatOf(state: number): ReceiptStatWord {
  const name = messageStateName(state);
  return name === undefined ? ReceiptStat.UNKNOWN : ReceiptStat[name];
}

/**
 * True for the final states (5.0 §4.7.15): DELIVERED, EXPIRED, DELETED,
 * UNDELIVERABLE, ACCEPTED, REJECTED, SKIPPED. SCHEDULED and ENROUTE are
 * intermediate; UNKNOWN is neither (GatewayAPI lists it as transient).
 */
export function isFinalState(state: number): boolean {
  return state === MessageState.DELIVERED || state === MessageState.ACCEPTED || isFailureState(state);
}

/**
 * True for the final states that mean "not delivered": EXPIRED, DELETED,
 * UNDELIVERABLE, REJECTED, SKIPPED. DELIVERED and ACCEPTED are the successful
 * final states.
 */
export function isFailureState(state: number): boolean {
  return (
    state === MessageState.EXPIRED ||
    state === MessageState.DELETED ||
    state === MessageState.UNDELIVERABLE ||
    state === MessageState.REJECTED ||
    state === MessageState.SKIPPED
  );
}

/**
 * Receipt `stat:` words seen in the wild (upper case) and the message_state
 * they mean. Besides the 3.4 words: full state names (Jasmin, REST-style
 * gateways), Kannel's "buffered" words ACKED/BUFFRED/BUFFERD (still in
 * transit, so ENROUTE), and FAILED for undeliverable.
 */
const stateByStat = new Map<string, MessageStateValue>([
  ['SCHEDULED', MessageState.SCHEDULED],
  ['SCHEDUL', MessageState.SCHEDULED],
  ['ENROUTE', MessageState.ENROUTE],
  ['EN_ROUTE', MessageState.ENROUTE],
  ['ACKED', MessageState.ENROUTE],
  ['BUFFRED', MessageState.ENROUTE],
  ['BUFFERD', MessageState.ENROUTE],
  ['BUFFERED', MessageState.ENROUTE],
  ['DELIVRD', MessageState.DELIVERED],
  ['DELIVERED', MessageState.DELIVERED],
  ['EXPIRED', MessageState.EXPIRED],
  ['EXPIRD', MessageState.EXPIRED],
  ['DELETED', MessageState.DELETED],
  ['DELETD', MessageState.DELETED],
  ['UNDELIV', MessageState.UNDELIVERABLE],
  ['UNDELIVERABLE', MessageState.UNDELIVERABLE],
  ['UNDELIVERED', MessageState.UNDELIVERABLE],
  ['FAILED', MessageState.UNDELIVERABLE],
  ['ACCEPTD', MessageState.ACCEPTED],
  ['ACCEPTED', MessageState.ACCEPTED],
  ['UNKNOWN', MessageState.UNKNOWN],
  ['REJECTD', MessageState.REJECTED],
  ['REJECTED', MessageState.REJECTED],
  ['SKIPPED', MessageState.SKIPPED],
]);

/** The message_state a receipt `stat:` word means (case-insensitive), or undefined for an unknown word. */
export function messageStateOfStat(stat: string): MessageStateValue | undefined {
  return stateByStat.get(stat.toUpperCase());
}
