import { create } from '@bufbuild/protobuf';
import type { Server } from '@grpc/grpc-js';
import {
  DeliverOutcome,
  DeliverResponseSchema,
  DeliveryReportSchema,
  deliverBatchMetadata,
  deliverOutcomeLabel,
  readsDeliverBatches,
  type DeliverRequest,
} from '@smsgw/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger, startTestEdge } from './dispatcher.test-support.ts';
import { EdgeLink, type LinkOutcome } from './edge-link.ts';

/** What a test edge saw of its streams. */
interface SeenByEdge {
  /** Each DeliverRequest message as it arrived: the number of requests it carried (1: not a batch). */
  readonly messages: number[];
  /** Whether each stream's dispatcher announced that it reads batches. */
  readonly dispatcherBatches: boolean[];
}

/**
 * An edge that answers DELIVERED only to the delivery ids `answered` lists, and ignores the rest. With
 * `batches` it announces that it reads batches and answers all the requests of a message with one
 * DeliverBatch (plus a credit of 7 for acme); without, it is an edge that predates batches.
 */
async function startEdge(
  answered: (id: bigint) => boolean,
  batches = false,
): Promise<{ server: Server; address: string; seen: SeenByEdge }> {
  const seen: SeenByEdge = { messages: [], dispatcherBatches: [] };
  const { server, address } = await startTestEdge((call) => {
    seen.dispatcherBatches.push(readsDeliverBatches(call.metadata));
    if (batches) call.sendMetadata(deliverBatchMetadata());
    call.on('data', (request: DeliverRequest) => {
      const requests = batches && request.batch.length > 0 ? request.batch : [request];
      seen.messages.push(requests.length);
      const results = requests
        .filter((r) => answered(r.deliveryId))
        .map((r) => ({ deliveryId: r.deliveryId, outcome: DeliverOutcome.DELIVERED, sessionId: 's1' }));
      if (batches) {
        const credits = [
          { systemId: 'acme', freeWindow: 7, lastDeliveryId: requests.at(-1)?.deliveryId ?? 0n },
        ];
        call.write(create(DeliverResponseSchema, { kind: { case: 'batch', value: { results, credits } } }));
        return;
      }
      for (const value of results)
        call.write(create(DeliverResponseSchema, { kind: { case: 'result', value } }));
    });
  });
  return { server, address, seen };
}

const report = (messageId: string) => create(DeliveryReportSchema, { messageId, systemId: 'acme' });

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

describe('EdgeLink result timeouts (one sweep timer for every pending attempt)', () => {
  it('times out each unanswered attempt, settles answered ones, and keeps timing out later attempts', async () => {
    const edge = await startEdge((id) => id % 2n === 0n);
    const { logger, lines } = captureLogger();
    const link = new EdgeLink({
      address: edge.address,
      logger,
      resultTimeoutMs: 300,
      reconnect: { minMs: 50, maxMs: 100 },
      onCredit: () => undefined,
      onChange: () => undefined,
    });
    cleanup.push(
      () => {
        link.close();
      },
      () => {
        edge.server.forceShutdown();
      },
    );
    const first = [1, 2, 3].map((i) => link.deliver(report(`m${String(i)}`)));
    // Sent while the first sweep is armed: its deadline is later than that sweep's.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const later = link.deliver(report('m4'));
    const fifth = link.deliver(report('m5'));
    const kinds = (outcomes: LinkOutcome[]) =>
      outcomes.map((o) => (o.kind === 'failed' ? o.reason : deliverOutcomeLabel(o.outcome)));
    expect(kinds(await Promise.all(first))).toEqual(['timeout', 'delivered', 'timeout']);
    expect(kinds(await Promise.all([later, fifth]))).toEqual(['delivered', 'timeout']);
    expect(link.inFlight).toBe(0);
    const warned = lines().filter((l) => l.msg === 'no delivery result from the edge in time');
    expect(warned.map((l) => l['message_id'])).toEqual(['m1', 'm3', 'm5']);
  });
});

describe('EdgeLink batches', () => {
  const linkTo = (address: string, credits: string[] = []): EdgeLink => {
    const link = new EdgeLink({
      address,
      logger: captureLogger().logger,
      resultTimeoutMs: 2_000,
      reconnect: { minMs: 50, maxMs: 100 },
      onCredit: (systemId, freeWindow, lastDeliveryId) =>
        credits.push(`${systemId} ${freeWindow} ${lastDeliveryId}`),
      onChange: () => undefined,
    });
    cleanup.push(() => {
      link.close();
    });
    return link;
  };
  const delivered = (outcomes: LinkOutcome[]) => outcomes.map((o) => o.kind === 'result' && o.outcome);

  it('sends the reports of one turn as one message to an edge that reads batches, and reads its DeliverBatch', async () => {
    const edge = await startEdge(() => true, true);
    cleanup.push(() => {
      edge.server.forceShutdown();
    });
    const credits: string[] = [];
    const link = linkTo(edge.address, credits);
    // The first report opens the stream; it goes alone, before the edge's metadata has arrived.
    expect(delivered([await link.deliver(report('m0'))])).toEqual([DeliverOutcome.DELIVERED]);
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map((i) => link.deliver(report(`m${String(i)}`))));
    expect(delivered(outcomes)).toEqual(Array.from({ length: 5 }, () => DeliverOutcome.DELIVERED));
    expect(edge.seen.dispatcherBatches).toEqual([true]);
    expect(edge.seen.messages).toEqual([1, 5]);
    // The batch's credit, after its results: it names the last request of the batch.
    expect(credits).toEqual(['acme 7 1', 'acme 7 6']);
    expect(link.inFlight).toBe(0);
  });

  it('sends one message per report to an edge that predates batches', async () => {
    const edge = await startEdge(() => true);
    cleanup.push(() => {
      edge.server.forceShutdown();
    });
    const link = linkTo(edge.address);
    await link.deliver(report('m0'));
    const outcomes = await Promise.all([1, 2, 3].map((i) => link.deliver(report(`m${String(i)}`))));
    expect(delivered(outcomes)).toEqual([
      DeliverOutcome.DELIVERED,
      DeliverOutcome.DELIVERED,
      DeliverOutcome.DELIVERED,
    ]);
    expect(edge.seen.messages).toEqual([1, 1, 1, 1]);
  });
});
