import { describe, expect, it } from 'vitest';
import { RateSearch, judgeStep, type StepFigures } from './sustained-step.ts';

const step = (over: Partial<StepFigures>): StepFigures => ({
  offered: 1_000,
  durationMs: 10_000,
  accepted: 10_000,
  dlrLatencyMs: Array.from({ length: 10_000 }, () => 2_000),
  dlrArrivalsMs: Array.from({ length: 10_000 }, (_, i) => i + 2_000),
  simMaxMs: 3_000,
  ...over,
});

describe('judgeStep', () => {
  it('passes a step whose DLRs keep pace within the sim latency', () => {
    expect(judgeStep(step({}))).toMatchObject({
      passed: true,
      acceptedPerSecond: 1_000,
      dlrsPerSecond: 1_000,
    });
  });

  it('fails a step that accepted less than offered', () => {
    expect(judgeStep(step({ accepted: 9_000 }))).toMatchObject({
      passed: false,
      why: 'accepted < 98 % of offered',
    });
  });

  it('fails a step whose DLRs fell behind', () => {
    const late = Array.from({ length: 10_000 }, (_, i) => (i < 9_000 ? 5_000 : 20_000));
    expect(judgeStep(step({ dlrArrivalsMs: late }))).toMatchObject({ passed: false });
  });

  it('fails a step whose p99 exceeds the sim latency by a second or more', () => {
    const slow = Array.from({ length: 10_000 }, (_, i) => (i < 9_800 ? 2_000 : 4_500));
    expect(judgeStep(step({ dlrLatencyMs: slow }))).toMatchObject({ passed: false });
  });
});

describe('RateSearch', () => {
  it('doubles until a failure, then bisects', () => {
    const search = new RateSearch({ start: 500, max: 64_000, refinements: 2, step: 50 });
    const capacity = 3_300;
    const tried: number[] = [];
    for (let rate = search.next(); rate !== undefined; rate = search.next()) {
      tried.push(rate);
      search.record(rate, rate <= capacity);
    }
    expect(tried).toEqual([500, 1_000, 2_000, 4_000, 3_000, 3_500]);
    expect(search.sustained).toBe(3_000);
  });

  it('stops at the maximum', () => {
    const search = new RateSearch({ start: 500, max: 1_000, refinements: 3, step: 50 });
    search.record(500, true);
    expect(search.next()).toBe(1_000);
    search.record(1_000, true);
    expect(search.next()).toBeUndefined();
    expect(search.sustained).toBe(1_000);
  });
});
