// @smsgw/telemetry: OpenTelemetry for every smsgw service. The SDK is started by the preload
// (`node --import @smsgw/telemetry/register src/main.ts`); services use these helpers to carry trace
// context over NATS headers and protobuf fields and to make messaging, RPC and SMPP spans.
export { TelemetryError } from './errors.ts';
export { isTracingEnabled, shutdownTelemetry, type TelemetryHandle } from './state.ts';
export { tracingWanted } from './tracing-wanted.ts';
export { serviceIdentity, type ServiceIdentity } from './service-identity.ts';
export { defaultPropagator, ensurePropagator } from './propagator.ts';
export { UNTRACED_SPAN, tracerFor } from './tracer.ts';
export { extractFromHeaders, injectIntoHeaders, natsHeaderGetter, natsHeaderSetter } from './nats-carrier.ts';
export {
  extractFromFields,
  injectIntoFields,
  traceFieldsGetter,
  traceFieldsOf,
  traceFieldsSetter,
  type TraceFields,
} from './proto-carrier.ts';
export {
  SubjectTemplate,
  contextWithSpan,
  startProcessSpan,
  startPublishSpan,
  withSpan,
  type MessagingTarget,
  type ProcessSpanOptions,
  type PublishSpanOptions,
} from './messaging-spans.ts';
export { processMessage, type ProcessHop, type ReceivedMessage } from './process-message.ts';
export { startSmppSpan, type SmppSpanOptions } from './smpp-spans.ts';
export { splitAddress, startDeliverClientSpan, startDeliverServerSpan } from './rpc-spans.ts';
export { recordCommandStatus, recordError, recordFailure } from './status-spans.ts';
export { EDGE_DELIVERY_METHOD, MessagingAttr, SmppAttr, SmsgwAttr } from './attributes.ts';
