/**
 * The preload: `node --import @smsgw/telemetry/register src/main.ts` starts
 * tracing (start-telemetry.ts) before the service's own modules are loaded.
 * When the environment names no exporter, the SDK is not even loaded: only the
 * W3C propagator is installed, so that trace context passes through. The
 * service flushes buffered spans in the close phase of its shutdown
 * (@smsgw/runtime's runService), before the process exits.
 */
import { createLogger, logLevels, type LogLevel } from '@smsgw/runtime';
import { ensurePropagator } from './propagator.ts';
import { serviceIdentity } from './service-identity.ts';
import { tracingWanted } from './tracing-wanted.ts';

const environment = process.env;
if (!tracingWanted(environment)) {
  ensurePropagator();
} else {
  const { startTelemetry } = await import('./start-telemetry.ts');
  const level = environment['LOG_LEVEL']?.trim().toLowerCase();
  const isLevel = (value: string | undefined): value is LogLevel =>
    logLevels.some((known) => known === value);
  const pod = environment['POD_NAME'];
  startTelemetry({
    // The SDK's diagnostics as the service's log lines (the service's own logger does not exist yet).
    logger: createLogger({
      service:
        environment['OTEL_SERVICE_NAME'] ?? serviceIdentity(environment, process.argv[1]).name ?? 'smsgw',
      ...(isLevel(level) ? { level } : {}),
      ...(pod === undefined || pod === '' ? {} : { pod }),
    }),
  });
}
