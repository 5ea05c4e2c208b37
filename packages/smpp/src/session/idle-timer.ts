/**
 * A timer that fires after `ms` of inactivity without being reset on every
 * PDU (clearTimeout + setTimeout per PDU is measurable at tens of thousands
 * of PDUs per second). The owner records activity as a timestamp; when the
 * timer fires early relative to the last activity, it re-arms for the rest.
 * Unref'd: it never keeps the process alive.
 */

/** Runs `onIdle` each time `idleFor()` reaches `ms`, until stopped. */
export class IdleTimer {
  private readonly ms: number;
  private readonly idleFor: () => number;
  private readonly onIdle: () => void;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param ms idle time that triggers `onIdle`
   * @param idleFor milliseconds since the last activity (0 = active now)
   * @param onIdle called when idle for `ms`; the timer then waits another `ms`
   */
  constructor(ms: number, idleFor: () => number, onIdle: () => void) {
    this.ms = ms;
    this.idleFor = idleFor;
    this.onIdle = onIdle;
    this.arm(ms);
  }

  /** Stops for good. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(ms: number): void {
    this.timer = setTimeout(this.fire, ms);
    this.timer.unref();
  }

  private readonly fire = (): void => {
    const idle = this.idleFor();
    if (idle < this.ms) {
      this.arm(Math.max(1, Math.ceil(this.ms - idle)));
      return;
    }
    this.arm(this.ms);
    // After re-arming: onIdle may stop() the timer (e.g. by closing the session).
    this.onIdle();
  };
}
