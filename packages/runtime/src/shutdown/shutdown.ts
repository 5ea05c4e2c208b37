// One shutdown path for every service (docs/architecture.md invariant 4). On SIGTERM or SIGINT the pod turns
// unready at once, then runs its hooks phase by phase:
//   intake  stop taking new work: close listeners, refuse binds, withdraw presence;
//   drain   finish in-flight work (unbind sessions, settle messages), nak what cannot finish;
//   close   drain NATS, close the admin server, flush telemetry.
// Hooks of one phase run concurrently; phases run in order. The whole run is bounded by the grace
// period: hooks still running then are logged and abandoned and the process exits 1 (0 otherwise).
import type { Logger } from 'pino';
import type { Readiness } from '../health/readiness.ts';

/** The phases of shutdown, in the order they run. */
export const shutdownPhases = ['intake', 'drain', 'close'] as const;

/** One phase of shutdown. */
export type ShutdownPhase = (typeof shutdownPhases)[number];

/** What a hook is told. */
export interface ShutdownContext {
  /** Why shutdown runs: the signal name, or what the caller of run() gave. */
  readonly reason: string;
  /** Aborted when the grace period runs out: the hook has been abandoned and should stop. */
  readonly signal: AbortSignal;
}

/** Work to do on shutdown. Throwing (or rejecting) is logged and does not stop later phases. */
export type ShutdownHook = (context: ShutdownContext) => void | Promise<void>;

/** How shutdown went. */
export interface ShutdownOutcome {
  /** 1 when the grace period ran out, 0 otherwise. */
  readonly exitCode: 0 | 1;
  /** True when the grace period ran out. */
  readonly timedOut: boolean;
  /** Hooks that threw or rejected. */
  readonly failed: readonly string[];
  /** Hooks still running when the grace period ran out. */
  readonly abandoned: readonly string[];
}

/** Options of createShutdown. */
export interface ShutdownOptions {
  /** Where shutdown reports its progress. */
  readonly logger: Logger;
  /** The bound on the whole shutdown (SHUTDOWN_GRACE). */
  readonly graceMs: number;
  /** Turned unready before any hook runs. */
  readonly readiness: Readiness;
  /** Ends the process (default `process.exit`); tests inject their own. */
  readonly exit?: (code: number) => void;
}

/** A service's shutdown path. */
export interface Shutdown {
  /**
   * Adds a hook to a phase; returns a function that removes it. A hook added while shutdown runs is
   * still run: with its phase if that has not started, else at once alongside the current phase.
   */
  onShutdown(name: string, hook: ShutdownHook, phase: ShutdownPhase): () => void;
  /** Shuts down (once: later calls return the same promise) and then calls exit. */
  run(reason: string): Promise<ShutdownOutcome>;
  /** Runs shutdown on SIGTERM and SIGINT; a repeated signal is logged only. Returns a function that uninstalls. */
  installSignalHandlers(signals?: readonly NodeJS.Signals[]): () => void;
  /** True once run() was called. */
  readonly started: boolean;
}

interface Registration {
  readonly name: string;
  readonly hook: ShutdownHook;
  readonly phase: ShutdownPhase;
}

/** Creates a service's shutdown path. */
export function createShutdown(options: ShutdownOptions): Shutdown {
  const { logger, graceMs, readiness } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const registrations = new Set<Registration>();
  const controller = new AbortController();
  const failed: string[] = [];
  /** Hooks running in the current phase, by their promise. */
  const running = new Map<Promise<void>, Registration>();
  let currentPhase = -1;
  let started = false;
  let finished = false;
  let outcome: Promise<ShutdownOutcome> | undefined;
  let reasonGiven = '';

  const startHook = (registration: Registration): void => {
    const { name, hook, phase } = registration;
    const startedAt = performance.now();
    const promise = (async () => {
      try {
        await hook({ reason: reasonGiven, signal: controller.signal });
        logger.debug(
          { hook: name, phase, durationMs: Math.round(performance.now() - startedAt) },
          'shutdown hook done',
        );
      } catch (error) {
        failed.push(name);
        logger.error({ err: error, hook: name, phase }, 'shutdown hook failed');
      }
    })();
    running.set(promise, registration);
    void promise.finally(() => running.delete(promise));
  };

  /** Resolves once every hook of the phase has settled, including hooks added meanwhile. */
  const settle = async (): Promise<void> => {
    while (running.size > 0) await Promise.all(running.keys());
  };

  const execute = async (reason: string): Promise<ShutdownOutcome> => {
    reasonGiven = reason;
    const startedAt = performance.now();
    readiness.setShuttingDown();
    logger.info({ reason, graceMs }, 'shutdown started');
    // Hooks start on a later tick, so one that calls run() or onShutdown() sees shutdown as begun.
    await Promise.resolve();

    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(resolve, graceMs, 'timeout');
    });
    let abandoned: string[] = [];
    for (const [index, phase] of shutdownPhases.entries()) {
      currentPhase = index;
      const hooks = [...registrations].filter((r) => r.phase === phase);
      logger.info({ phase, hooks: hooks.map((r) => r.name) }, 'shutdown phase started');
      for (const registration of hooks) startHook(registration);
      if ((await Promise.race([settle(), graceOver])) === 'timeout') {
        abandoned = [...running.values()].map((r) => r.name);
        controller.abort(new Error(`shutdown grace period of ${graceMs} ms ran out`));
        logger.error(
          { phase, abandoned, skippedPhases: shutdownPhases.slice(index + 1), graceMs },
          'shutdown grace period ran out; abandoning the hooks still running',
        );
        break;
      }
    }
    clearTimeout(timer);
    finished = true;

    const timedOut = abandoned.length > 0;
    const exitCode = timedOut ? 1 : 0;
    logger.info(
      { reason, exitCode, failed, abandoned, durationMs: Math.round(performance.now() - startedAt) },
      'shutdown finished',
    );
    exit(exitCode);
    return { exitCode, timedOut, failed: [...failed], abandoned };
  };

  const shutdown: Shutdown = {
    onShutdown(name, hook, phase) {
      const registration: Registration = { name, hook, phase };
      if (finished) {
        logger.warn({ hook: name, phase }, 'shutdown hook added after shutdown finished; not run');
      } else if (started && shutdownPhases.indexOf(phase) <= currentPhase) {
        logger.warn({ hook: name, phase }, 'shutdown hook added after its phase began; running it now');
        startHook(registration);
      } else {
        registrations.add(registration);
      }
      return () => registrations.delete(registration);
    },

    run(reason) {
      if (outcome === undefined) {
        started = true;
        outcome = execute(reason);
      }
      return outcome;
    },

    installSignalHandlers(signals = ['SIGTERM', 'SIGINT']) {
      const onSignal = (signal: NodeJS.Signals): void => {
        if (started) {
          logger.warn({ signal }, 'signal received while shutting down; shutdown continues');
          return;
        }
        logger.info({ signal }, 'signal received');
        shutdown.run(signal).catch((error: unknown) => {
          // Only exit() itself or the logger can get here; still leave no rejection unseen.
          logger.fatal({ err: error }, 'shutdown failed');
          exit(1);
        });
      };
      for (const signal of signals) process.on(signal, onSignal);
      return () => {
        for (const signal of signals) process.off(signal, onSignal);
      };
    },

    get started() {
      return started;
    },
  };
  return shutdown;
}
