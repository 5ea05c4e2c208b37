import { describe, expect, it } from 'vitest';
import {
  isFailureState,
  isFinalState,
  isMessageState,
  MessageState,
  messageStateName,
  messageStateOfStat,
  ReceiptStat,
  receiptStatOf,
} from './message-state.ts';

describe('MessageState', () => {
  it('has the spec values 0..9', () => {
    expect(Object.entries(MessageState)).toEqual([
      ['SCHEDULED', 0],
      ['ENROUTE', 1],
      ['DELIVERED', 2],
      ['EXPIRED', 3],
      ['DELETED', 4],
      ['UNDELIVERABLE', 5],
      ['ACCEPTED', 6],
      ['UNKNOWN', 7],
      ['REJECTED', 8],
      ['SKIPPED', 9],
    ]);
  });

  it('names every value and nothing else', () => {
    for (const [name, value] of Object.entries(MessageState)) expect(messageStateName(value)).toBe(name);
    expect(messageStateName(10)).toBeUndefined();
    expect(messageStateName(-1)).toBeUndefined();
    expect(messageStateName(1.5)).toBeUndefined();
    expect(isMessageState(9)).toBe(true);
    expect(isMessageState(10)).toBe(false);
  });
});

describe('receiptStatOf', () => {
  it.each([
    [0, 'ENROUTE'],
    [1, 'ENROUTE'],
    [2, 'DELIVRD'],
    [3, 'EXPIRED'],
    [4, 'DELETED'],
    [5, 'UNDELIV'],
    [6, 'ACCEPTD'],
    [7, 'UNKNOWN'],
    [8, 'REJECTD'],
    [9, 'SKIPPED'],
    [10, 'UNKNOWN'],
    [255, 'UNKNOWN'],
  ])('%i → %s', (state, stat) => {
    expect(receiptStatOf(state)).toBe(stat);
  });

  it('always gives 7 characters', () => {
    for (const stat of Object.values(ReceiptStat)) expect(stat).toHaveLength(7);
  });
});

describe('isFinalState / isFailureState', () => {
  // state: [final, failure]
  const table: [number, boolean, boolean][] = [
    [0, false, false],
    [1, false, false],
    [2, true, false],
    [3, true, true],
    [4, true, true],
    [5, true, true],
    [6, true, false],
    [7, false, false],
    [8, true, true],
    [9, true, true],
    [10, false, false],
  ];
  it.each(table)('%i: final %s, failure %s', (state, final, failure) => {
    expect(isFinalState(state)).toBe(final);
    expect(isFailureState(state)).toBe(failure);
  });
});

describe('messageStateOfStat', () => {
  it('reads every stat word it writes back to the state (SCHEDULED reads as ENROUTE)', () => {
    for (const [name, value] of Object.entries(MessageState)) {
      const back = messageStateOfStat(receiptStatOf(value));
      expect(back).toBe(name === 'SCHEDULED' ? MessageState.ENROUTE : value);
    }
  });

  it.each([
    ['DELIVRD', 2],
    ['delivrd', 2],
    ['Delivered', 2],
    ['DELIVERED', 2],
    ['UNDELIV', 5],
    ['UNDELIVERABLE', 5],
    ['undelivered', 5],
    ['FAILED', 5],
    ['REJECTD', 8],
    ['REJECTED', 8],
    ['ACCEPTD', 6],
    ['ACCEPTED', 6],
    ['EXPIRED', 3],
    ['DELETED', 4],
    ['UNKNOWN', 7],
    ['ENROUTE', 1],
    ['ACKED', 1],
    ['BUFFRED', 1],
    ['BUFFERD', 1],
    ['buffered', 1],
    ['SCHEDULED', 0],
    ['SKIPPED', 9],
  ] as const)('%s → %i', (stat, state) => {
    expect(messageStateOfStat(stat)).toBe(state);
  });

  it.each(['', 'DELIV', 'OK', '2', 'DELIVRD ', 'constructor', '__proto__'])('%j is not a stat', (stat) => {
    expect(messageStateOfStat(stat)).toBeUndefined();
  });
});
