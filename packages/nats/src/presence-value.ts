/**
 * The presence bucket's values, written by the edge and read by the DLR
 * dispatcher: one schema for both sides.
 *
 * `<account>.<pod>` (presenceKey) → `{"pod":"edge-0","grpcAddress":"10.1.2.3:9091","receivers":2,"updatedAt":"<ISO 8601>"}`
 * while the pod holds receiver or transceiver binds of the account. The bucket
 * also holds the edges' message-id node leases under the pseudo-account
 * NODE_LEASE_ACCOUNT; presence readers skip that account.
 */
import { z } from 'zod';
import { TopologyError } from './errors.ts';
import { parsePresenceKey, presenceKey } from './topology.ts';

/**
 * The pseudo-account under which edge message-id node leases sit in the
 * presence bucket: 16 characters, so no SMPP system_id (at most 15) can name it.
 */
export const NODE_LEASE_ACCOUNT = '_edge-node-lease';

/** The presence-bucket key of an edge message-id node lease. */
export function nodeLeaseKey(nodeId: number): string {
  return presenceKey(NODE_LEASE_ACCOUNT, String(nodeId));
}

/** What a presence entry says: where the pod's EdgeDelivery server is and how many receivers of the account it holds. */
export const presenceValueSchema = z.object({
  /** The edge pod's name. */
  pod: z.string().min(1),
  /** host:port of the pod's EdgeDelivery gRPC server. */
  grpcAddress: z.string().min(1),
  /** Receiver and transceiver sessions of the account bound there. */
  receivers: z.number().int().min(1),
  /** When the owner last wrote it (ISO 8601; informational: readers use their own clock). */
  updatedAt: z.string(),
});

/** A decoded presence value. */
export type PresenceValue = z.infer<typeof presenceValueSchema>;

/** A presence entry of a receiving account, decoded. */
export interface PresenceEntry extends PresenceValue {
  /** The account (system_id) the entry announces. */
  readonly account: string;
}

/** The JSON text of a presence value. */
export function encodePresenceValue(value: PresenceValue): string {
  return JSON.stringify(presenceValueSchema.parse(value));
}

/**
 * The entry behind a presence key and value; undefined for a node lease (not a
 * presence entry). Throws TopologyError for a key or value that is malformed.
 */
export function decodePresenceEntry(key: string, value: Uint8Array | string): PresenceEntry | undefined {
  const { account } = parsePresenceKey(key);
  if (account === NODE_LEASE_ACCOUNT) return undefined;
  const text = typeof value === 'string' ? value : new TextDecoder().decode(value);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TopologyError(`presence value of ${JSON.stringify(key)} is not JSON`, { cause: error });
  }
  const parsed = presenceValueSchema.safeParse(json);
  if (!parsed.success) {
    throw new TopologyError(`presence value of ${JSON.stringify(key)} is invalid: ${parsed.error.message}`);
  }
  return { account, ...parsed.data };
}
