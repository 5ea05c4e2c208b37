/**
 * bench:sustained's verdict on one offered rate, and its search for the
 * highest rate that passes (README "Benchmarks").
 *
 * A rate is sustained when, over the run, the gateway took what was offered
 * (accepted/s ≥ 98 % of offered), returned the DLRs as fast as it accepted
 * the submits (DLRs that arrived within the run plus the sim's longest
 * latency plus 1 s, per second of the run, ≥ 98 % of accepted/s), and
 * submit→DLR p99 stayed under 1 s beyond the sim's longest latency (the
 * network's own seconds are not the gateway's).
 */
import { percentile } from '@smsgw/cli';

/** What one step measured. */
export interface StepFigures {
  /** Submits per second offered. */
  readonly offered: number;
  /** How long the rate was offered (ms). */
  readonly durationMs: number;
  readonly accepted: number;
  /** submit_sm → DLR of each DLR that arrived (ms). */
  readonly dlrLatencyMs: readonly number[];
  /** When each DLR arrived, from the first submit (ms). */
  readonly dlrArrivalsMs: readonly number[];
  /** The sim's longest latency (ms). */
  readonly simMaxMs: number;
}

/** The verdict on one step. */
export interface StepVerdict {
  readonly acceptedPerSecond: number;
  readonly dlrsPerSecond: number;
  /** submit→DLR p99 (ms); undefined when no DLR arrived. */
  readonly p99Ms: number | undefined;
  readonly passed: boolean;
  /** Why it failed: the first criterion missed. */
  readonly why?: string;
}

/** Judges one step by the criteria in the module comment. */
export function judgeStep(f: StepFigures): StepVerdict {
  const seconds = f.durationMs / 1000;
  const acceptedPerSecond = f.accepted / seconds;
  const inTime = f.dlrArrivalsMs.filter((at) => at <= f.durationMs + f.simMaxMs + 1_000).length;
  const dlrsPerSecond = inTime / seconds;
  const p99Ms = f.dlrLatencyMs.length === 0 ? undefined : percentile([...f.dlrLatencyMs], 99);
  const base = { acceptedPerSecond, dlrsPerSecond, p99Ms };
  if (acceptedPerSecond < 0.98 * f.offered)
    return { ...base, passed: false, why: 'accepted < 98 % of offered' };
  if (dlrsPerSecond < 0.98 * acceptedPerSecond)
    return { ...base, passed: false, why: 'DLRs/s < 98 % of accepted/s' };
  if (p99Ms === undefined || p99Ms >= f.simMaxMs + 1_000) {
    return { ...base, passed: false, why: `submit→DLR p99 ≥ sim latency + 1 s` };
  }
  return { ...base, passed: true };
}

/**
 * The rates to try: doubling from `start` until one fails (or `max`), then
 * `refinements` bisections between the highest pass and the lowest failure,
 * rounded to `step`.
 */
export class RateSearch {
  #low = 0;
  #high: number | undefined;
  #next: number | undefined;
  #refinementsLeft: number;
  readonly #max: number;
  readonly #step: number;

  constructor(options: { start: number; max: number; refinements: number; step: number }) {
    this.#next = options.start;
    this.#max = options.max;
    this.#refinementsLeft = options.refinements;
    this.#step = options.step;
  }

  /** The next rate to offer, or undefined when the search is over. */
  next(): number | undefined {
    return this.#next;
  }

  /** Records the verdict on the rate next() gave. */
  record(rate: number, passed: boolean): void {
    if (passed) this.#low = Math.max(this.#low, rate);
    else this.#high = Math.min(this.#high ?? rate, rate);
    if (this.#high === undefined) {
      this.#next = rate * 2 <= this.#max ? rate * 2 : undefined;
      return;
    }
    if (this.#refinementsLeft <= 0) {
      this.#next = undefined;
      return;
    }
    this.#refinementsLeft--;
    const middle = Math.round((this.#low + this.#high) / 2 / this.#step) * this.#step;
    this.#next = middle > this.#low && middle < this.#high ? middle : undefined;
  }

  /** The highest rate that passed (0 when none did). */
  get sustained(): number {
    return this.#low;
  }
}
