/**
 * The simulated network's deterministic answers, chosen by the last digits of
 * the destination number (non-digits are ignored, so `+45 1234-5699` ends in
 * 99). The README documents the same table for customers' test numbers.
 *
 * | destination ends in      | outcome                                                             |
 * | ------------------------ | ------------------------------------------------------------------- |
 * | 0, 1, 2, 3, 4, 5         | DELIVERED                                                           |
 * | 6                        | UNDELIVERABLE, 0x1013 Absent subscriber, GSM MAP 6 (absentSubscriberSM) |
 * | 7                        | EXPIRED, 0x1022 Absent subscriber, no page response                  |
 * | 8                        | REJECTED, 0x1034 Destination blocked                                 |
 * | 9, except 99             | UNDELIVERABLE, 0x1010 Unknown subscriber, GSM MAP 1 (unknownSubscriber) |
 * | 99                       | no answer: no final status, ever                                    |
 * | no digit at all          | REJECTED, 0x1060 Invalid destination address                        |
 *
 * Error codes are the GatewayAPI-style internal codes (StatusEvent.error_code,
 * docs/smpp-reference.md §7); GSM MAP error values are 3GPP TS 29.002's.
 */
import { MessageState, NetworkType } from '@smsgw/proto';
import type { StatusReport } from '../driver.ts';

/** What the simulated network answers: a final status, or nothing at all. */
export type SimOutcome =
  { readonly answer: 'final'; readonly status: StatusReport } | { readonly answer: 'none' };

/** GSM MAP error values (3GPP TS 29.002) the simulator reports as network_error_code. */
const GsmMapError = { unknownSubscriber: 1, absentSubscriberSM: 6 } as const;

/** The simulator's final statuses, by name. */
export const SimStatus = {
  delivered: { messageState: MessageState.DELIVERED, errorCode: 0 },
  absentSubscriber: {
    messageState: MessageState.UNDELIVERABLE,
    errorCode: 0x1013,
    networkError: { type: NetworkType.GSM, code: GsmMapError.absentSubscriberSM },
  },
  expired: { messageState: MessageState.EXPIRED, errorCode: 0x1022 },
  destinationBlocked: { messageState: MessageState.REJECTED, errorCode: 0x1034 },
  unknownSubscriber: {
    messageState: MessageState.UNDELIVERABLE,
    errorCode: 0x1010,
    networkError: { type: NetworkType.GSM, code: GsmMapError.unknownSubscriber },
  },
  invalidDestination: { messageState: MessageState.REJECTED, errorCode: 0x1060 },
} as const satisfies Record<string, StatusReport>;

const final = (status: StatusReport): SimOutcome => Object.freeze({ answer: 'final', status });

const delivered = final(SimStatus.delivered);
const unknownSubscriber = final(SimStatus.unknownSubscriber);
const invalidDestination = final(SimStatus.invalidDestination);
const noAnswer: SimOutcome = Object.freeze({ answer: 'none' });

/** Outcome by last digit 0..8; 9 depends on the digit before it. */
const byLastDigit: readonly SimOutcome[] = [
  delivered,
  delivered,
  delivered,
  delivered,
  delivered,
  delivered,
  final(SimStatus.absentSubscriber),
  final(SimStatus.expired),
  final(SimStatus.destinationBlocked),
];

const DIGIT_0 = 0x30;

function digitAt(text: string, index: number): number {
  const d = text.charCodeAt(index) - DIGIT_0;
  return d >= 0 && d <= 9 ? d : -1;
}

/** The simulated network's answer for a destination address (see the table above). */
export function simOutcomeOf(destinationAddr: string): SimOutcome {
  let i = destinationAddr.length - 1;
  while (i >= 0 && digitAt(destinationAddr, i) < 0) i--;
  if (i < 0) return invalidDestination;
  const last = digitAt(destinationAddr, i);
  if (last !== 9) return byLastDigit[last] ?? invalidDestination;
  i--;
  while (i >= 0 && digitAt(destinationAddr, i) < 0) i--;
  return i >= 0 && digitAt(destinationAddr, i) === 9 ? noAnswer : unknownSubscriber;
}
