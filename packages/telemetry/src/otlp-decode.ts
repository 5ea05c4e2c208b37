/**
 * Test support: decodes what an OTLP/HTTP trace exporter sends
 * (ExportTraceServiceRequest, opentelemetry-proto trace/v1 and common/v1) into
 * plain spans, with @bufbuild/protobuf's wire reader. Only the fields tests
 * look at are read; the rest are skipped.
 */
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

/** An attribute value as OTLP carries it (arrays and maps are left out). */
export type AttributeValue = string | number | boolean | bigint;

/** One span as it arrived. */
export interface ReceivedSpan {
  /** 32 hex digits. */
  readonly traceId: string;
  /** 16 hex digits. */
  readonly spanId: string;
  /** 16 hex digits, '' for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** OTLP's StatusCode: 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
  readonly statusMessage: string;
  /** The instrumentation scope's name (the tracer's). */
  readonly scope: string;
  /** The resource's attributes (service.name, service.version, …). */
  readonly resource: Readonly<Record<string, AttributeValue>>;
}

/** OTLP's SpanKind numbers. */
export const OtlpSpanKind = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Calls `onField` for every field of the message in `bytes`; the callback reads the value or skips it. */
function fields(
  bytes: Uint8Array,
  onField: (reader: BinaryReader, field: number, wire: WireType) => boolean,
): void {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wire] = reader.tag();
    if (!onField(reader, field, wire)) reader.skip(wire, field);
  }
}

function anyValue(bytes: Uint8Array): AttributeValue | undefined {
  let value: AttributeValue | undefined;
  fields(bytes, (r, field) => {
    if (field === 1) value = r.string();
    else if (field === 2) value = r.bool();
    else if (field === 3) {
      const n = r.int64();
      value =
        typeof n === 'bigint' && n >= Number.MIN_SAFE_INTEGER && n <= Number.MAX_SAFE_INTEGER ? Number(n) : n;
    } else if (field === 4) value = r.double();
    else return false;
    return true;
  });
  return value;
}

function keyValue(bytes: Uint8Array, into: Record<string, AttributeValue>): void {
  let key = '';
  let value: AttributeValue | undefined;
  fields(bytes, (r, field) => {
    if (field === 1) key = r.string();
    else if (field === 2) value = anyValue(r.bytes());
    else return false;
    return true;
  });
  if (value !== undefined) into[key] = value;
}

function attributesOf(bytes: Uint8Array): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  fields(bytes, (r, field) => {
    if (field !== 1) return false;
    keyValue(r.bytes(), attributes);
    return true;
  });
  return attributes;
}

function scopeName(bytes: Uint8Array): string {
  let name = '';
  fields(bytes, (r, field) => {
    if (field !== 1) return false;
    name = r.string();
    return true;
  });
  return name;
}

function status(bytes: Uint8Array): { code: number; message: string } {
  const out = { code: 0, message: '' };
  fields(bytes, (r, field) => {
    if (field === 2) out.message = r.string();
    else if (field === 3) out.code = r.int32();
    else return false;
    return true;
  });
  return out;
}

function span(bytes: Uint8Array, scope: string, resource: Record<string, AttributeValue>): ReceivedSpan {
  let traceId = '';
  let spanId = '';
  let parentSpanId = '';
  let name = '';
  let kind = 0;
  const attributes: Record<string, AttributeValue> = {};
  let spanStatus = { code: 0, message: '' };
  fields(bytes, (r, field) => {
    if (field === 1) traceId = hex(r.bytes());
    else if (field === 2) spanId = hex(r.bytes());
    else if (field === 4) parentSpanId = hex(r.bytes());
    else if (field === 5) name = r.string();
    else if (field === 6) kind = r.int32();
    else if (field === 9) keyValue(r.bytes(), attributes);
    else if (field === 15) spanStatus = status(r.bytes());
    else return false;
    return true;
  });
  return {
    traceId,
    spanId,
    parentSpanId,
    name,
    kind,
    attributes,
    statusCode: spanStatus.code,
    statusMessage: spanStatus.message,
    scope,
    resource,
  };
}

/** The spans of one ExportTraceServiceRequest (protobuf). */
export function decodeTraceRequest(bytes: Uint8Array): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  fields(bytes, (r, field) => {
    if (field !== 1) return false;
    // ResourceSpans: 1 resource, 2 scope_spans.
    let resource: Record<string, AttributeValue> = {};
    const scopeSpans: Uint8Array[] = [];
    fields(r.bytes(), (rs, f) => {
      if (f === 1) resource = attributesOf(rs.bytes());
      else if (f === 2) scopeSpans.push(rs.bytes());
      else return false;
      return true;
    });
    for (const ss of scopeSpans) {
      // ScopeSpans: 1 scope, 2 spans.
      let scope = '';
      const raw: Uint8Array[] = [];
      fields(ss, (s, f) => {
        if (f === 1) scope = scopeName(s.bytes());
        else if (f === 2) raw.push(s.bytes());
        else return false;
        return true;
      });
      for (const bytesOfSpan of raw) spans.push(span(bytesOfSpan, scope, resource));
    }
    return true;
  });
  return spans;
}
