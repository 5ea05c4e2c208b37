import { describe, expect, it } from 'vitest';
import { GivenAnswers } from './given-answers.ts';

describe('GivenAnswers', () => {
  it('counts an answer owed by a second batch, not the same batch given again', () => {
    const given = new GivenAnswers();
    expect(given.given('m1', 10)).toBe(false);
    // The same batch, redelivered after a nak: not a repeat.
    expect(given.given('m1', 10)).toBe(false);
    // Another batch owed it too: the message reached the network twice.
    expect(given.given('m1', 11)).toBe(true);
  });

  it('forgets the oldest answers past its size', () => {
    const given = new GivenAnswers(2);
    given.given('a', 1);
    given.given('b', 2);
    given.given('c', 3);
    expect(given.given('a', 4)).toBe(false);
    expect(given.given('c', 5)).toBe(true);
  });
});
