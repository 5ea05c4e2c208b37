// Test support for the router's tests: submits, accounts, metrics and a capturing logger.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { hashPassword, type AccountInput } from '@smsgw/accounts';
import { SubmitAcceptedSchema, type SubmitAccepted } from '@smsgw/proto';
import { createMetrics } from '@smsgw/runtime';
import { captureLogger as captureTestLogger, type CapturedLogger } from '@smsgw/testing';
import { createRouterMetrics, type RouterMetrics } from './metrics.ts';

export { TRACEPARENT, waitFor, type LogLine } from '@smsgw/testing';

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

/** A debug-level logger that keeps its lines in memory. */
export function captureLogger(): CapturedLogger {
  return captureTestLogger({ service: 'router-test' });
}
