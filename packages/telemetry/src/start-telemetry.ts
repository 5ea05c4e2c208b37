/**
 * Starts OpenTelemetry tracing for a service process, before anything else
 * runs (register.ts, preloaded with `node --import @smsgw/telemetry/register`).
 *
 * Tracing is on only when there is somewhere to send spans (tracing-wanted.ts:
 * an OTLP endpoint, or an explicit non-OTLP OTEL_TRACES_EXPORTER). Then the SDK
 * (NodeSDK) is configured by the standard variables: OTEL_EXPORTER_OTLP_PROTOCOL
 * (http/protobuf by default, http/json, grpc), OTEL_TRACES_SAMPLER and
 * OTEL_TRACES_SAMPLER_ARG, OTEL_BSP_*, OTEL_RESOURCE_ATTRIBUTES,
 * OTEL_PROPAGATORS; OTEL_SDK_DISABLED=true turns it off. Only traces: metrics
 * are Prometheus (prom-client, /metrics) and logs are pino on stdout.
 *
 * Off, nothing is started: the API stays a no-op (no context manager, no span
 * processor), and only the W3C propagator is installed so that trace context
 * still passes through the service unchanged.
 */
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Logger } from '@smsgw/runtime';
import { ensurePropagator } from './propagator.ts';
import { serviceIdentity } from './service-identity.ts';
import { setTelemetryHandle } from './state.ts';
import { tracingWanted } from './tracing-wanted.ts';

type Environment = Readonly<Record<string, string | undefined>>;

/** The resource attribute of the Kubernetes pod name (POD_NAME), a stable semantic convention. */
const ATTR_K8S_POD_NAME = 'k8s.pod.name';

/** Log fields of a diagnostic's arguments: an error as `err` (serialized with its stack), the rest as `args`. */
function fieldsOf(args: unknown[]): Record<string, unknown> {
  const [first, ...rest] = args;
  if (first instanceof Error) return rest.length === 0 ? { err: first } : { err: first, args: rest };
  return args.length === 0 ? {} : { args };
}

/** The SDK's own diagnostics (export failures above all) as pino lines, so that none is lost silently. */
export function diagLoggerFor(logger: Logger): DiagLogger {
  const component = logger.child({ component: 'otel' });
  return {
    error: (message, ...args) => {
      component.error(fieldsOf(args), message);
    },
    warn: (message, ...args) => {
      component.warn(fieldsOf(args), message);
    },
    info: (message, ...args) => {
      component.info(fieldsOf(args), message);
    },
    debug: (message, ...args) => {
      component.debug(fieldsOf(args), message);
    },
    verbose: (message, ...args) => {
      component.trace(fieldsOf(args), message);
    },
  };
}

const DIAG_LEVELS: Readonly<Record<string, DiagLogLevel>> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/** Options of startTelemetry. */
export interface StartTelemetryOptions {
  /** Where the SDK's diagnostics go (at OTEL_LOG_LEVEL, default warn). */
  readonly logger: Logger;
  /** The environment (default process.env; the SDK itself always reads process.env). */
  readonly environment?: Environment;
  /** The script being run, for the service's package name and version (default process.argv[1]). */
  readonly mainFile?: string;
}

/** Starts tracing when the environment asks for it; returns whether it did. */
export function startTelemetry(options: StartTelemetryOptions): boolean {
  const environment = options.environment ?? process.env;
  if (!tracingWanted(environment)) {
    ensurePropagator();
    return false;
  }

  const identity = serviceIdentity(environment, options.mainFile ?? process.argv[1]);
  const attributes: Record<string, string> = {};
  if (identity.version !== undefined) attributes[ATTR_SERVICE_VERSION] = identity.version;
  const pod = environment['POD_NAME'];
  if (pod !== undefined && pod !== '') attributes[ATTR_K8S_POD_NAME] = pod;

  const sdk = new NodeSDK({
    resource: defaultResource().merge(resourceFromAttributes(attributes)),
    ...(identity.name === undefined ? {} : { serviceName: identity.name }),
    // Metrics go to Prometheus through prom-client, logs to stdout through pino: traces only.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  // After the constructor, which installs a console logger when OTEL_LOG_LEVEL is set.
  const level =
    DIAG_LEVELS[environment['OTEL_LOG_LEVEL']?.trim().toLowerCase() ?? 'warn'] ?? DiagLogLevel.WARN;
  diag.setLogger(diagLoggerFor(options.logger), { logLevel: level, suppressOverrideMessage: true });
  // Registers the tracer provider, the AsyncLocalStorage context manager and the propagators (W3C by default).
  sdk.start();
  setTelemetryHandle({ shutdown: () => sdk.shutdown() });
  return true;
}
