/**
 * Progress of a long `smsgw send --count` run, on stderr so that stdout keeps
 * only the result (and --json stays one document): on a terminal one line
 * redrawn in place four times a second, otherwise a plain line every few
 * seconds (logs and CI output stay readable). Each line: submits sent of the
 * total, accepted and the accepted/s since the last line, errors (refused or
 * unanswered submits) and receipts received so far.
 */
import type { TextSink } from '../cli-io.ts';

/** The counts a progress line shows. */
export interface ProgressCounts {
  readonly total: number;
  readonly sent: number;
  readonly accepted: number;
  readonly errors: number;
  readonly receipts: number;
}

/** How often a terminal line is redrawn. */
export const TTY_INTERVAL_MS = 250;

/** How often a plain line is written when stderr is not a terminal. */
export const PLAIN_INTERVAL_MS = 5_000;

/** One progress line: `progress: 1200/20000 sent, 1198 accepted (412.3/s), 2 errors, 800 receipts, 3.0 s`. */
export function progressLine(counts: ProgressCounts, acceptedPerSecond: number, elapsedMs: number): string {
  return (
    `progress: ${counts.sent}/${counts.total} sent, ${counts.accepted} accepted (${acceptedPerSecond.toFixed(1)}/s), ` +
    `${counts.errors} errors, ${counts.receipts} receipts, ${(elapsedMs / 1000).toFixed(1)} s`
  );
}

/** Erases the current terminal line. */
const CLEAR_LINE = '\r\x1b[K';

/** Counts a run's submits and writes progress lines on a timer until stopped. */
export class SendProgress {
  readonly #sink: TextSink;
  readonly #tty: boolean;
  #total = 0;
  readonly #now: () => number;
  readonly #startedAt: number;
  #sent = 0;
  #accepted = 0;
  #errors = 0;
  #receipts: () => number = () => 0;
  #last: { at: number; accepted: number };
  #timer: NodeJS.Timeout | undefined;

  constructor(sink: TextSink & { isTTY?: boolean }, now: () => number = performance.now.bind(performance)) {
    this.#sink = sink;
    this.#tty = sink.isTTY === true;
    this.#now = now;
    this.#startedAt = now();
    this.#last = { at: this.#startedAt, accepted: 0 };
  }

  /** How many submit_sm the run sends (every part of every copy). */
  expect(total: number): void {
    this.#total = total;
  }

  /** A submit_sm went out. */
  sent(): void {
    this.#sent++;
  }

  /** A submit_sm was answered ESME_ROK (accepted) or not (refused, timed out, session lost). */
  answered(accepted: boolean): void {
    if (accepted) this.#accepted++;
    else this.#errors++;
  }

  /** Where the receipts received so far are counted. */
  countReceipts(source: () => number): void {
    this.#receipts = source;
  }

  /** The line for now; the rate is the accepted/s since the previous line. */
  line(): string {
    const now = this.#now();
    const seconds = (now - this.#last.at) / 1000;
    const rate = seconds > 0 ? (this.#accepted - this.#last.accepted) / seconds : 0;
    this.#last = { at: now, accepted: this.#accepted };
    return progressLine(
      {
        total: this.#total,
        sent: this.#sent,
        accepted: this.#accepted,
        errors: this.#errors,
        receipts: this.#receipts(),
      },
      rate,
      now - this.#startedAt,
    );
  }

  /** Starts writing lines: on a terminal every TTY_INTERVAL_MS, else every `plainEveryMs`. */
  start(plainEveryMs = PLAIN_INTERVAL_MS): void {
    this.#timer = setInterval(
      () => {
        // Nothing to show while connecting and binding.
        if (this.#total === 0) return;
        this.#sink.write(this.#tty ? `${CLEAR_LINE}${this.line()}` : `${this.line()}\n`);
      },
      this.#tty ? TTY_INTERVAL_MS : plainEveryMs,
    );
    this.#timer.unref();
  }

  /** Stops writing; a terminal line is erased (the summary follows). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#tty) this.#sink.write(CLEAR_LINE);
  }
}
