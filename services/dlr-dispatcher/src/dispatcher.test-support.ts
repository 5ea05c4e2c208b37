// Test support for the dispatcher's tests: envelopes, status events, metrics and a capturing logger.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  MessageEnvelopeSchema,
  MessageState,
  StatusEventSchema,
  type MessageEnvelope,
  type StatusEvent,
} from '@smsgw/proto';
import { createLogger, createMetrics, type Logger } from '@smsgw/runtime';
import { createDispatcherMetrics, type DispatcherMetrics } from './metrics.ts';

/** A traceparent as an edge would send it. */
export const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** The envelope the router would store for a submit of `messageId`; override any field. */
export function makeEnvelope(
  messageId: string,
  overrides: Partial<Omit<MessageEnvelope, '$typeName'>> = {},
): MessageEnvelope {
  return create(MessageEnvelopeSchema, {
    messageId,
    systemId: 'acme',
    source: { ton: 5, npi: 0, addr: 'ExampleCo' },
    destination: { ton: 1, npi: 1, addr: '4512345678' },
    registeredDelivery: 1,
    submittedAt: timestampFromDate(new Date('2020-11-18T10:54:30Z')),
    dataCoding: 0,
    segments: 1,
    traceparent: TRACEPARENT,
    ...overrides,
  });
}

/** A status event as a connector would publish it; override any field. */
export function makeStatus(
  messageId: string,
  overrides: Partial<Omit<StatusEvent, '$typeName'>> = {},
): StatusEvent {
  return create(StatusEventSchema, {
    messageId,
    systemId: 'acme',
    messageState: MessageState.DELIVERED,
    doneAt: timestampFromDate(new Date('2020-11-18T10:55:10Z')),
    connector: 'sim',
    ...overrides,
  });
}

/** Dispatcher metrics in a registry of their own (no process metrics). */
export function testMetrics(): DispatcherMetrics {
  return createDispatcherMetrics(createMetrics({ service: 'dlr-dispatcher-test', defaultMetrics: false }));
}

/** One parsed log line. */
export type LogLine = Readonly<Record<string, unknown>> & { readonly msg?: string };

/** A debug-level logger that keeps its lines in memory. */
export function captureLogger(): { logger: Logger; lines: () => LogLine[] } {
  const chunks: string[] = [];
  const logger = createLogger({
    service: 'dlr-dispatcher-test',
    pod: 'test',
    level: 'debug',
    destination: { write: (chunk: string) => void chunks.push(chunk) },
  });
  const lines = (): LogLine[] =>
    chunks.flatMap((chunk) =>
      chunk
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as LogLine),
    );
  return { logger, lines };
}

/** Polls `check` until it returns true or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
