/**
 * The one way a service process starts: configuration (validated once; a bad
 * variable ends the process with code 1 before anything runs), logger,
 * metrics, readiness, the admin endpoints and the shutdown path with its
 * signal handlers, then the service's own `start`. A `start` that fails runs
 * shutdown, so whatever it opened is closed in order, and exits 1; one that
 * a signal interrupts is left to the shutdown already running.
 */
import { startAdminServer } from '../admin/admin-server.ts';
import type { BaseConfig } from '../config/base-config.ts';
import { logDeprecatedVariables } from '../config/renamed-variables.ts';
import { Readiness } from '../health/readiness.ts';
import { createLogger, type Logger } from '../logging/logger.ts';
import { createMetrics, type Metrics } from '../metrics/metrics.ts';
import { createShutdown, type Shutdown } from '../shutdown/shutdown.ts';
import { flushTraces } from './flush-traces.ts';

/** What a service's start function works with. */
export interface ServiceContext<C extends BaseConfig> {
  readonly config: C;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  readonly shutdown: Shutdown;
  /** Logs `error` as fatal and shuts down with exit code 1 (e.g. a worker that died after start). */
  readonly fail: (error: unknown, reason: string) => Promise<void>;
}

/** How runService starts one service. */
export interface RunServiceOptions<C extends BaseConfig> {
  /** The service name, for log lines written before the configuration is read. */
  readonly name: string;
  /** Reads and validates the configuration; throws ConfigError when it is bad. */
  readonly loadConfig: () => C;
  /** Opens connections, starts the work and registers every part with `shutdown`. */
  readonly start: (context: ServiceContext<C>) => Promise<void>;
  /** Ends the process (tests inject it); default process.exit. */
  readonly exit?: (code: number) => void;
}

/** Starts a service process; resolves once its start function has finished (or failed and shut down). */
export async function runService<C extends BaseConfig>(options: RunServiceOptions<C>): Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let config: C;
  try {
    config = options.loadConfig();
  } catch (error) {
    createLogger({ service: options.name }).fatal({ err: error }, `${options.name} configuration is invalid`);
    exit(1);
    return;
  }
  const logger = createLogger({
    service: config.SERVICE_NAME,
    pod: config.POD_NAME,
    level: config.LOG_LEVEL,
  });
  // One line per deprecated name the configuration was read from (docs/configuration.md, "Renamed variables").
  logDeprecatedVariables(logger, config);
  const metrics = createMetrics({ service: config.SERVICE_NAME });
  const readiness = new Readiness({ logger });
  // What /readyz answers, at scrape time: the chart's ServiceNotReady alert reads it (docs/operations.md).
  metrics.gauge({
    name: 'smsgw_ready',
    help: '1 while the service is ready for work (/readyz would answer 200), 0 while not',
    async collect() {
      this.set((await readiness.check()).ready ? 1 : 0);
    },
  });
  let failed = false;
  const shutdown = createShutdown({
    logger,
    graceMs: config.SHUTDOWN_GRACE,
    readiness,
    // A failed start still shuts down in order, but must not look like a clean exit.
    exit: (code) => {
      exit(failed ? 1 : code);
    },
  });
  shutdown.installSignalHandlers();
  const fail = async (error: unknown, reason: string): Promise<void> => {
    failed = true;
    logger.fatal({ err: error }, reason);
    await shutdown.run(reason);
  };
  try {
    const admin = await startAdminServer({
      host: config.ADMIN_HOST,
      port: config.ADMIN_PORT,
      registry: metrics.registry,
      readiness,
      logger,
    });
    shutdown.onShutdown('admin', () => admin.close(), 'close');
    // Spans of the work finished during drain are exported before the process exits.
    shutdown.onShutdown('telemetry', () => flushTraces(), 'close');
    await options.start({ config, logger, metrics, readiness, shutdown, fail });
    logger.info(`${options.name} started`);
  } catch (error) {
    if (shutdown.started) {
      // A signal during startup closed what start() was waiting on; that shutdown ends the process.
      logger.info({ err: error }, `${options.name} startup interrupted by shutdown`);
      return;
    }
    await fail(error, `${options.name} failed to start`);
  }
}
