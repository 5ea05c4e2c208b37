/**
 * Where the edge gets message ids: a generator over a fixed node id
 * (EDGE_NODE_ID, e.g. a StatefulSet ordinal), or over a leased one that is
 * replaced when the lease is lost. `next()` throws MessageIdUnavailableError
 * while no lease is surely held; the submit is then answered ESME_RSYSERR.
 */
import type { KV } from '@nats-io/kv';
import type { Logger } from '@smsgw/runtime';
import { MessageIdGenerator } from './message-id-generator.ts';
import { NodeIdLease } from './node-id-lease.ts';

/** No message id can be made right now (node-id lease not held). */
export class MessageIdUnavailableError extends Error {
  override readonly name = 'MessageIdUnavailableError';
}

/** A source of unique message ids. */
export interface MessageIdSource {
  /** The next id; throws MessageIdUnavailableError when none can be made safely. */
  next(): string;
  /** The node id in use, if any. */
  readonly nodeId: number | undefined;
  /** Stops renewing and frees the node id. */
  close(): Promise<void>;
}

/** Ids over a fixed node id: its uniqueness is the deployment's promise. */
export function fixedMessageIds(nodeId: number): MessageIdSource {
  const generator = new MessageIdGenerator(nodeId);
  return { nodeId, next: () => generator.next(), close: () => Promise.resolve() };
}

/** Options of leasedMessageIds. */
export interface LeasedMessageIdsOptions {
  readonly kv: KV;
  readonly ttlMs: number;
  readonly pod: string;
  readonly logger: Logger;
  /** Delay between attempts to lease a new node id after losing one (default 1 s). */
  readonly retryMs?: number;
}

/** Ids over a node id leased from `kv`; resolves once the first lease is held. */
export async function leasedMessageIds(options: LeasedMessageIdsOptions): Promise<MessageIdSource> {
  const { logger } = options;
  let lease = await NodeIdLease.acquire(options);
  let generator = new MessageIdGenerator(lease.nodeId);
  const state: { closed: boolean } = { closed: false };
  const isClosed = (): boolean => state.closed;
  let replacing: Promise<void> | undefined;

  const replace = async (): Promise<void> => {
    while (!state.closed) {
      try {
        const next = await NodeIdLease.acquire(options);
        if (isClosed()) {
          await next.release();
          return;
        }
        lease = next;
        generator = new MessageIdGenerator(next.nodeId);
        watch(next);
        return;
      } catch (error) {
        logger.error({ err: error }, 'no message-id node id; retrying');
        await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 1_000));
      }
    }
  };
  const watch = (held: NodeIdLease): void => {
    held.onLost(() => {
      replacing ??= replace().finally(() => {
        replacing = undefined;
      });
    });
  };
  watch(lease);

  return {
    get nodeId() {
      return lease.valid ? lease.nodeId : undefined;
    },
    next() {
      if (!lease.valid) throw new MessageIdUnavailableError('message-id node id lease not held');
      return generator.next();
    },
    async close() {
      state.closed = true;
      await replacing;
      await lease.release();
    },
  };
}
