import { create } from '@bufbuild/protobuf';
import { Server, ServerCredentials, type ServerDuplexStream } from '@grpc/grpc-js';
import {
  DeliverOutcome,
  DeliverResponseSchema,
  DeliveryReportSchema,
  deliverOutcomeLabel,
  edgeDeliveryDefinition,
  type DeliverRequest,
  type DeliverResponse,
} from '@smsgw/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger } from './dispatcher.test-support.ts';
import { EdgeLink, type LinkOutcome } from './edge-link.ts';

/** An edge that answers DELIVERED only to the delivery ids `answered` lists, and ignores the rest. */
async function startEdge(answered: (id: bigint) => boolean): Promise<{ server: Server; address: string }> {
  const server = new Server();
  server.addService(edgeDeliveryDefinition, {
    deliver: (call: ServerDuplexStream<DeliverRequest, DeliverResponse>) => {
      call.on('data', (request: DeliverRequest) => {
        if (!answered(request.deliveryId)) return;
        call.write(
          create(DeliverResponseSchema, {
            kind: {
              case: 'result',
              value: { deliveryId: request.deliveryId, outcome: DeliverOutcome.DELIVERED, sessionId: 's1' },
            },
          }),
        );
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => {
      if (error) reject(error);
      else resolve(bound);
    });
  });
  return { server, address: `127.0.0.1:${port}` };
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
