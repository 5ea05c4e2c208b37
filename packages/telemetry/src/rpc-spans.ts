/**
 * Spans of the EdgeDelivery hop (dispatcher → edge), after the stable RPC
 * semantic conventions: named by the fully qualified method
 * (`smsgw.v1.EdgeDelivery/Deliver`), rpc.system.name `grpc`. One long-lived
 * bidirectional stream carries many reports, so these are spans per report,
 * not per call: the client span's context travels in the DeliveryReport's
 * traceparent field, and the edge's server span is its child.
 */
import { SpanKind, type Context, type Span, type Tracer } from '@opentelemetry/api';
import {
  ATTR_RPC_METHOD,
  ATTR_RPC_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions';
import { EDGE_DELIVERY_METHOD } from './attributes.ts';
import { startChildSpan } from './child-span.ts';

/** host and port of a `host:port` address (IPv6 in brackets allowed); port undefined when absent. */
export function splitAddress(address: string): { host: string; port: number | undefined } {
  const match = /^\[?(.*?)\]?:(\d+)$/.exec(address);
  if (match === null) return { host: address, port: undefined };
  return { host: match[1] ?? address, port: Number(match[2]) };
}

function rpcAttributes(span: Span): void {
  span.setAttribute(ATTR_RPC_SYSTEM_NAME, 'grpc');
  span.setAttribute(ATTR_RPC_METHOD, EDGE_DELIVERY_METHOD);
}

/** Starts the CLIENT span of one report sent to an edge pod at `address`. */
export function startDeliverClientSpan(tracer: Tracer, parent: Context, address: string): Span {
  const span = startChildSpan(tracer, EDGE_DELIVERY_METHOD, { kind: SpanKind.CLIENT }, parent);
  if (span.isRecording()) {
    rpcAttributes(span);
    const { host, port } = splitAddress(address);
    span.setAttribute(ATTR_SERVER_ADDRESS, host);
    if (port !== undefined) span.setAttribute(ATTR_SERVER_PORT, port);
  }
  return span;
}

/** Starts the SERVER span of one report received by the edge (parent: the context the report carries). */
export function startDeliverServerSpan(tracer: Tracer, parent: Context): Span {
  const span = tracer.startSpan(EDGE_DELIVERY_METHOD, { kind: SpanKind.SERVER }, parent);
  if (span.isRecording()) rpcAttributes(span);
  return span;
}
