/**
 * The connectors bucket's values (topology.ts, "Connector health"), written
 * by each connector replica and read by the router: one schema for both sides.
 *
 * `<connector>.<pod>` (connectorHealthKey) →
 * `{"pod":"connector-sim-0","ready":true,"since":"<ISO>","lastReadyAt":"<ISO>","ttlMs":30000,"updatedAt":"<ISO>"}`.
 */
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { z } from 'zod';
import {
  bucketTtlMsOf,
  ensureConnectorHealthBucket,
  type ConnectorBucketOptions,
} from './connector-bucket-ttls.ts';
import { TopologyError } from './errors.ts';
import { ConnectorHealthBucket, parseConnectorHealthKey } from './topology.ts';

/** What a health entry says about one connector replica. */
export const connectorHealthValueSchema = z.object({
  /** The replica's pod name. */
  pod: z.string().min(1),
  /** Whether its driver can hand messages over now. */
  ready: z.boolean(),
  /** Since when `ready` has had its value (ISO 8601, the writer's clock). */
  since: z.iso.datetime(),
  /** When the replica was last ready (ISO 8601); absent when it never was. */
  lastReadyAt: z.iso.datetime().optional(),
  /** Readers treat the entry as gone when it is not rewritten within this (the bucket's TTL). */
  ttlMs: z.number().int().min(100),
  /** When the owner last wrote it (ISO 8601; informational). */
  updatedAt: z.iso.datetime(),
  /**
   * Upstream sessions of a driver that has them (`smpp`): bound now and configured. Informational
   * (`smsgw status`); absent for drivers without sessions and from connectors older than this field.
   */
  sessions: z.object({ bound: z.number().int().min(0), configured: z.number().int().min(0) }).optional(),
});

/** A decoded health value. */
export type ConnectorHealthValue = z.infer<typeof connectorHealthValueSchema>;

/** A health entry, decoded, with the connector its key names. */
export interface ConnectorHealthEntry extends ConnectorHealthValue {
  /** The connector the replica runs. */
  readonly connector: string;
}

/** The JSON text of a health value. */
export function encodeConnectorHealthValue(value: ConnectorHealthValue): string {
  return JSON.stringify(connectorHealthValueSchema.parse(value));
}

/** The entry behind a health key and value; throws TopologyError for a key or value that is malformed. */
export function decodeConnectorHealthEntry(key: string, value: Uint8Array | string): ConnectorHealthEntry {
  const { connector } = parseConnectorHealthKey(key);
  const text = typeof value === 'string' ? value : new TextDecoder().decode(value);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TopologyError(`connector health value of ${JSON.stringify(key)} is not JSON`, { cause: error });
  }
  const parsed = connectorHealthValueSchema.safeParse(json);
  if (!parsed.success) {
    throw new TopologyError(
      `connector health value of ${JSON.stringify(key)} is invalid: ${parsed.error.message}`,
    );
  }
  return { connector, ...parsed.data };
}

/** Options of openConnectorHealthBucket: who asks, and the replicas and TTL of a bucket it creates. */
export type ConnectorHealthBucketOptions = ConnectorBucketOptions;

/** The open connectors bucket and the TTL it has. */
export interface ConnectorHealthHandle {
  readonly kv: KV;
  /**
   * The bucket's TTL (ms) when it was opened: the provisioner's, or the creator's when nothing
   * provisioned it (docs/configuration.md, "Stream limits"); a replica rewrites its entry every third of it.
   */
  readonly ttlMs: number;
}

/**
 * Creates the connectors bucket when missing (with `ttlMs`; an existing one keeps its TTL unless
 * the caller is the provisioner, and its other settings unless the caller owns it) and opens it.
 */
export async function openConnectorHealthBucket(
  js: JetStreamClient,
  jsm: JetStreamManager,
  options: ConnectorHealthBucketOptions,
): Promise<ConnectorHealthHandle> {
  const info = await ensureConnectorHealthBucket(jsm, options);
  return { kv: await new Kvm(js).open(ConnectorHealthBucket.name), ttlMs: bucketTtlMsOf(info.config) };
}
