export { startNatsServer, type NatsServerOptions } from './nats-server.ts';
export { startNatsCluster, type NatsClusterOptions } from './nats-cluster.ts';
export type { NatsClusterHandle, NatsClusterNode } from './nats-cluster-handle.ts';
export { startBinaryNatsCluster, type BinaryNatsClusterOptions } from './nats-cluster-binary.ts';
export { startContainerNatsCluster, type ContainerNatsClusterOptions } from './nats-cluster-container.ts';
export type { NatsBackend, NatsConnectOptions, NatsServerHandle } from './nats-server-handle.ts';
export { startBinaryNatsServer, type BinaryNatsServerOptions } from './nats-server-binary.ts';
export {
  DEFAULT_NATS_IMAGE,
  startContainerNatsServer,
  type ContainerNatsServerOptions,
} from './nats-server-container.ts';
export { detectContainerRuntime, type ContainerRuntime } from './container-runtime.ts';
export { NatsFixtureError, WaitTimeoutError } from './errors.ts';
export { getFreePort, getFreePorts } from '@smsgw/runtime';
export { waitFor } from './wait-for.ts';
export {
  captureLogger,
  type CaptureLoggerOptions,
  type CapturedLogger,
  type LogLine,
} from './capture-logger.ts';
export { TRACEPARENT, TRACESTATE } from './trace-context.ts';
export { childNatsUrl } from './child-nats-url.ts';
