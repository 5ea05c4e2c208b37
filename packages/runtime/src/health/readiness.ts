// Readiness: may this pod get new work? Every registered check must pass and shutdown must not
// have begun (docs/architecture.md invariant 4: on SIGTERM a pod turns unready first). Liveness is separate
// and never consults these checks: a NATS outage must make pods unready, not restart them.
import type { Logger } from 'pino';

/** A readiness check: true when the dependency it watches is usable. Throwing counts as false. */
export type ReadinessCheck = () => boolean | Promise<boolean>;

/** How one check ended: passed, returned false, threw, or did not answer in time. */
export type CheckOutcome = 'ok' | 'failed' | 'error' | 'timeout';

/** The answer /readyz gives. */
export interface ReadinessReport {
  /** True when every check passed and shutdown has not begun. */
  readonly ready: boolean;
  /** True once setShuttingDown() was called. */
  readonly shuttingDown: boolean;
  /** Names of the checks that did not pass (empty while shutting down: checks are not run then). */
  readonly failing: readonly string[];
}

/** Options of a Readiness. */
export interface ReadinessOptions {
  /** A check that has not answered after this long fails with `timeout` (default 1000 ms, kubelet's probe timeout). */
  readonly checkTimeoutMs?: number;
  /** Where changes of a check's outcome are logged (each change once, not every probe). */
  readonly logger?: Logger;
}

/** The default time a readiness check may take. */
export const defaultCheckTimeoutMs = 1000;

/** The set of readiness checks of one service, plus its shutting-down flag. */
export class Readiness {
  readonly #checks = new Map<string, ReadinessCheck>();
  readonly #outcomes = new Map<string, CheckOutcome>();
  readonly #checkTimeoutMs: number;
  readonly #logger: Logger | undefined;
  #shuttingDown = false;

  constructor(options: ReadinessOptions = {}) {
    this.#checkTimeoutMs = options.checkTimeoutMs ?? defaultCheckTimeoutMs;
    this.#logger = options.logger;
  }

  /** Adds a named check; returns a function that removes it. Names are unique. */
  register(name: string, check: ReadinessCheck): () => void {
    if (this.#checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
    this.#checks.set(name, check);
    return () => {
      if (this.#checks.get(name) === check) {
        this.#checks.delete(name);
        this.#outcomes.delete(name);
      }
    };
  }

  /** Turns the pod unready for good: the first step of shutdown. */
  setShuttingDown(): void {
    if (this.#shuttingDown) return;
    this.#shuttingDown = true;
    this.#logger?.info('readiness: shutting down, reporting not ready');
  }

  /** True once setShuttingDown() was called. */
  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Runs every check concurrently, each bounded by the check timeout. */
  async check(): Promise<ReadinessReport> {
    if (this.#shuttingDown) return { ready: false, shuttingDown: true, failing: [] };
    const entries = [...this.#checks];
    const outcomes = await Promise.all(entries.map(([name, check]) => this.#run(name, check)));
    const failing = entries.filter((_, i) => outcomes[i] !== 'ok').map(([name]) => name);
    // Shutdown may have begun while the checks ran; never answer ready after it has.
    const shuttingDown = this.#shuttingDown;
    return { ready: failing.length === 0 && !shuttingDown, shuttingDown, failing };
  }

  async #run(name: string, check: ReadinessCheck): Promise<CheckOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(resolve, this.#checkTimeoutMs, 'timeout');
    });
    let outcome: CheckOutcome;
    let error: unknown;
    try {
      const passed = await Promise.race([Promise.resolve().then(check), timeout]);
      outcome = passed === 'timeout' ? 'timeout' : passed ? 'ok' : 'failed';
    } catch (thrown) {
      outcome = 'error';
      error = thrown;
    } finally {
      clearTimeout(timer);
    }
    this.#record(name, outcome, error);
    return outcome;
  }

  /** Logs a check's outcome when it changes, so a failing dependency is one warning, not one per probe. */
  #record(name: string, outcome: CheckOutcome, error: unknown): void {
    const previous = this.#outcomes.get(name);
    if (previous === outcome || !this.#checks.has(name)) return;
    this.#outcomes.set(name, outcome);
    if (outcome === 'ok') {
      if (previous !== undefined) this.#logger?.info({ check: name }, 'readiness check passes again');
    } else if (outcome === 'error') {
      this.#logger?.warn({ check: name, outcome, err: error }, 'readiness check fails');
    } else {
      this.#logger?.warn({ check: name, outcome }, 'readiness check fails');
    }
  }
}
