// The progress of `smsgw send --count`: the plain line's format and its rate, on a clock the test moves.
import { describe, expect, it } from 'vitest';
import { SendProgress, progressLine } from './send-progress.ts';

describe('send progress', () => {
  it('formats one plain line', () => {
    expect(
      progressLine({ total: 20_000, sent: 1200, accepted: 1198, errors: 2, receipts: 800 }, 412.34, 2_950),
    ).toBe('progress: 1200/20000 sent, 1198 accepted (412.3/s), 2 errors, 800 receipts, 3.0 s');
  });

  it('counts submits, answers and receipts; the rate is the accepted/s since the previous line', () => {
    let now = 1_000;
    const written: string[] = [];
    const progress = new SendProgress({ write: (t: string) => written.push(t) }, () => now);
    progress.expect(10);
    let receipts = 0;
    progress.countReceipts(() => receipts);
    for (let i = 0; i < 4; i++) progress.sent();
    progress.answered(true);
    progress.answered(true);
    progress.answered(false);
    now += 2_000;
    expect(progress.line()).toBe('progress: 4/10 sent, 2 accepted (1.0/s), 1 errors, 0 receipts, 2.0 s');
    for (let i = 0; i < 6; i++) progress.sent();
    for (let i = 0; i < 6; i++) progress.answered(true);
    receipts = 5;
    now += 500;
    expect(progress.line()).toBe('progress: 10/10 sent, 8 accepted (12.0/s), 1 errors, 5 receipts, 2.5 s');
    // Not a terminal: stopping writes nothing (no line to erase).
    progress.stop();
    expect(written).toEqual([]);
  });
});
