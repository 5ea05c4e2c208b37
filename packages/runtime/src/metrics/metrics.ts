// One prom-client Registry per service, never prom-client's global one: tests run several
// services in one process, and each must expose only its own metrics.
import { Counter, Gauge, Histogram, Registry, Summary, collectDefaultMetrics } from 'prom-client';
import type {
  CounterConfiguration,
  GaugeConfiguration,
  HistogramConfiguration,
  SummaryConfiguration,
} from 'prom-client';

/** prom-client's metric classes and Registry, so services need no direct dependency on it. */
export { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';

/** Options of createMetrics. */
export interface MetricsOptions {
  /** The service's name, added to every metric as the `service` label. */
  readonly service: string;
  /** Node's process metrics (CPU, memory, event loop lag, GC, handles); default true. */
  readonly defaultMetrics?: boolean;
  /** More labels on every metric. Pod and namespace come from Prometheus' Kubernetes discovery, not from here. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Metric configuration without `registers`: the service's registry is always the one used. */
type Unregistered<C> = Omit<C, 'registers'>;

/** A service's registry plus factories that register into it. */
export interface Metrics {
  /** The registry the admin server's /metrics serves. */
  readonly registry: Registry;
  /** A counter in this registry. */
  counter<L extends string>(config: Unregistered<CounterConfiguration<L>>): Counter<L>;
  /** A gauge in this registry. */
  gauge<L extends string>(config: Unregistered<GaugeConfiguration<L>>): Gauge<L>;
  /** A histogram in this registry. */
  histogram<L extends string>(config: Unregistered<HistogramConfiguration<L>>): Histogram<L>;
  /** A summary in this registry. */
  summary<L extends string>(config: Unregistered<SummaryConfiguration<L>>): Summary<L>;
}

/**
 * Creates a service's metrics: a fresh Registry with a `service` label on every metric and, by
 * default, Node's process metrics. Each call with default metrics installs its own GC observer and
 * event-loop monitor, so create one per service, not one per request or session.
 */
export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ ...options.labels, service: options.service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    counter: (config) => new Counter({ ...config, registers }),
    gauge: (config) => new Gauge({ ...config, registers }),
    histogram: (config) => new Histogram({ ...config, registers }),
    summary: (config) => new Summary({ ...config, registers }),
  };
}
