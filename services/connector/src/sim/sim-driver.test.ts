import { create } from '@bufbuild/protobuf';
import { MessageState, RoutedMessageSchema, SubmitAcceptedSchema } from '@smsgw/proto';
import { describe, expect, it } from 'vitest';
import type { Delivery, StatusReport } from '../driver.ts';
import { createSimDriver } from './sim-driver.ts';
import { SimStatus } from './sim-outcome.ts';

function delivery(
  destination: string,
  signal = new AbortController().signal,
): Delivery & { reports: StatusReport[] } {
  const reports: StatusReport[] = [];
  const submit = create(SubmitAcceptedSchema, {
    messageId: '1',
    systemId: 'acme',
    destination: { addr: destination },
  });
  return {
    submit,
    routed: create(RoutedMessageSchema, { submit }),
    priority: 0,
    signal,
    reports,
    report: (status) => {
      reports.push(status);
      return Promise.resolve();
    },
  };
}

describe('sim driver', () => {
  it('reports ENROUTE, then the final answer, and resolves after it', async () => {
    const d = delivery('4512345676');
    await createSimDriver({ delayMs: 1 }).send(d);
    expect(d.reports).toEqual([{ messageState: MessageState.ENROUTE }, SimStatus.absentSubscriber]);
  });

  it('reports only ENROUTE for a number that never answers', async () => {
    const d = delivery('4512345699');
    await createSimDriver({ delayMs: 0 }).send(d);
    expect(d.reports).toEqual([{ messageState: MessageState.ENROUTE }]);
  });

  it('gives up when aborted, before the final answer', async () => {
    const controller = new AbortController();
    const d = delivery('4512345670', controller.signal);
    const sending = createSimDriver({ delayMs: 60_000 }).send(d);
    controller.abort();
    await expect(sending).rejects.toThrow();
    expect(d.reports).toEqual([{ messageState: MessageState.ENROUTE }]);
  });

  it('passes a failed report on to the worker, which retries the message', async () => {
    const d = delivery('4512345670');
    const failing: Delivery = { ...d, report: () => Promise.reject(new Error('no PubAck')) };
    await expect(createSimDriver({ delayMs: 0 }).send(failing)).rejects.toThrow('no PubAck');
  });
});
