// Test support for the router's tests: submits, accounts, metrics and a capturing logger.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { hashPassword, type AccountInput } from '@smsgw/accounts';
import { SubmitAcceptedSchema, type SubmitAccepted } from '@smsgw/proto';
import { createLogger, createMetrics, type Logger } from '@smsgw/runtime';
import { createRouterMetrics, type RouterMetrics } from './metrics.ts';

/** A traceparent as an edge would send it. */
export const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** A valid SubmitAccepted as an edge would publish it; override any field. */
export function makeSubmit(
  messageId: string,
  overrides: Partial<Omit<SubmitAccepted, '$typeName'>> = {},
): SubmitAccepted {
  return create(SubmitAcceptedSchema, {
    messageId,
    systemId: 'acme',
    edgePod: 'edge-0',
    sessionId: 's-1',
    source: { ton: 5, npi: 0, addr: 'ExampleCo' },
    destination: { ton: 1, npi: 1, addr: '4512345678' },
    priorityFlag: 0,
    registeredDelivery: 1,
    dataCoding: 0,
    payload: new TextEncoder().encode('hello'),
    segments: 1,
    acceptedAt: timestampFromDate(new Date('2026-01-02T03:04:05.678Z')),
    ...overrides,
  });
}

let passwordHash: Promise<string> | undefined;

/** An account input with a cheap (test-only) scrypt hash; everything else as given or defaulted. */
export async function accountInput(
  systemId: string,
  overrides: Partial<AccountInput> = {},
): Promise<AccountInput> {
  passwordHash ??= hashPassword('secret', { cost: 1024, blockSize: 8, parallelization: 1 });
  return { systemId, passwordHash: await passwordHash, ...overrides };
}

/** Router metrics in a registry of their own (no process metrics). */
export function testMetrics(): RouterMetrics {
  return createRouterMetrics(createMetrics({ service: 'router-test', defaultMetrics: false }));
}

/** One parsed log line. */
export type LogLine = Readonly<Record<string, unknown>> & { readonly msg?: string; readonly level?: string };

/** A debug-level logger that keeps its lines in memory. */
export function captureLogger(): { logger: Logger; lines: () => LogLine[] } {
  const chunks: string[] = [];
  const logger = createLogger({
    service: 'router-test',
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
