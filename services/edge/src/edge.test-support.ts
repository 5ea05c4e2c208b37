/**
 * Test support (never exported): a real NATS server, the topology, accounts,
 * and an Edge running in-process on random ports, plus SMPP client helpers.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AccountCache, AccountStore, type AccountInput } from '@smsgw/accounts';
import { Header, StreamName, ensureTopology, type Topology, type TopologyOptions } from '@smsgw/nats';
import { SubmitAcceptedSchema, type SubmitAccepted } from '@smsgw/proto';
import { createLogger, createMetrics, type Logger } from '@smsgw/runtime';
import {
  connectSmpp,
  createPdu,
  type BindType,
  type PduInit,
  type SessionOptions,
  type SmppSession,
  type SubmitSmResp,
} from '@smsgw/smpp';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import type tls from 'node:tls';
import { Edge, type EdgeOptions } from './edge.ts';
import { leasedMessageIds, type MessageIdSource } from './ids/message-id-source.ts';
import { createEdgeMetrics, type EdgeMetrics } from './metrics.ts';
import { Presence } from './delivery/presence.ts';

/** The password behind TEST_PASSWORD_HASH. */
export const TEST_PASSWORD = 'secret';

/** scrypt hash of TEST_PASSWORD with the cheapest parameters allowed (N = 1024), so that tests stay fast. */
export const TEST_PASSWORD_HASH =
  'scrypt$1024$8$1$c21zZ3ctdGVzdC1zYWx0IQ==$1loctY+VncOPrVmH9deKKzRk/SKdsbjMxAzgJBfu4no=';

/** A minimal account input with the test password. */
export function accountInput(systemId: string, overrides: Partial<AccountInput> = {}): AccountInput {
  return { systemId, passwordHash: TEST_PASSWORD_HASH, ...overrides };
}

/** A logger that prints nothing unless EDGE_TEST_LOG is set. */
export function testLogger(): Logger {
  return createLogger({
    service: 'edge-test',
    level: process.env['EDGE_TEST_LOG'] === undefined ? 'silent' : 'debug',
  });
}

/** One NATS server with the topology, for a test file. */
export interface NatsFixture {
  readonly server: NatsServerHandle;
  readonly nc: NatsConnection;
  readonly topology: Topology;
  readonly store: AccountStore;
  stop(): Promise<void>;
}

/** Starts a NATS server, connects and ensures the topology. */
export async function startNatsFixture(options: TopologyOptions = {}): Promise<NatsFixture> {
  const server = await startNatsServer();
  const nc = await connect({ ...server.connectOptions, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
  const topology = await ensureTopology(nc, { owner: 'all', ...options });
  const store = new AccountStore(topology.kv.accounts);
  return {
    server,
    nc,
    topology,
    store,
    async stop() {
      await nc.close();
      await server.stop();
    },
  };
}

/** A running Edge with its parts. */
export interface EdgeFixture {
  readonly edge: Edge;
  readonly port: number;
  readonly accounts: AccountCache;
  readonly presence: Presence;
  readonly ids: MessageIdSource;
  readonly metrics: EdgeMetrics;
  readonly registry: ReturnType<typeof createMetrics>['registry'];
  /** Closes every session and the listeners, frees the node id. */
  stop(): Promise<void>;
}

/** Starts an Edge on 127.0.0.1 (random port) over the fixture's NATS. */
export async function startEdge(
  nats: NatsFixture,
  overrides: Partial<EdgeOptions> & { tls?: tls.TlsOptions } = {},
): Promise<EdgeFixture> {
  const logger = testLogger();
  const accounts = new AccountCache(nats.topology.kv.accounts);
  await accounts.start();
  const ttlMs = nats.topology.options.presenceTtlMs;
  const ids = await leasedMessageIds({ kv: nats.topology.kv.presence, ttlMs, pod: 'edge-test', logger });
  const presence = new Presence({
    kv: nats.topology.kv.presence,
    pod: 'edge-test',
    grpcAddress: '127.0.0.1:9091',
    ttlMs,
    logger,
  });
  const m = createMetrics({ service: 'edge', defaultMetrics: false });
  const metrics = createEdgeMetrics(m);
  const { tls: tlsOptions, ...rest } = overrides;
  const edge = new Edge({
    js: nats.topology.js,
    accounts,
    presence,
    ids,
    metrics,
    logger,
    pod: 'edge-test',
    publishTimeoutMs: 2_000,
    session: { bindTimeout: 5_000 },
    authBackoff: { baseMs: 50, maxMs: 400, windowMs: 60_000, maxEntries: 1_000 },
    unknownAccountHash: TEST_PASSWORD_HASH,
    ...rest,
  });
  const server = await edge.listen(0, '127.0.0.1', tlsOptions);
  return {
    edge,
    port: server.address().port,
    accounts,
    presence,
    ids,
    metrics,
    registry: m.registry,
    async stop() {
      edge.closeAll();
      await presence.withdrawAll();
      await ids.close();
      await accounts.close();
    },
  };
}

/** How a test client connects: session tuning, TLS, and the local address to connect from (127.0.0.0/8). */
export type ClientOptions = SessionOptions & { tls?: tls.ConnectionOptions; localAddress?: string };

/** Connects a client session to the edge. */
export function connectClient(port: number, options: ClientOptions = {}): Promise<SmppSession> {
  return connectSmpp({ host: '127.0.0.1', port, ...options });
}

/** Connects and binds; resolves with the bound session (throws BindRejectedError when refused). */
export async function bindClient(
  port: number,
  type: BindType,
  systemId: string,
  password = TEST_PASSWORD,
  options: ClientOptions = {},
): Promise<SmppSession> {
  const session = await connectClient(port, options);
  try {
    await session.bind(type, { systemId, password });
  } catch (error) {
    session.close();
    throw error;
  }
  return session;
}

/** The bind's command_status: 0 when bound (the session is then closed), else the refusal. */
export async function bindStatus(
  port: number,
  type: BindType,
  systemId: string,
  password = TEST_PASSWORD,
  options: ClientOptions = {},
): Promise<number> {
  const session = await connectClient(port, options);
  try {
    const pdu = createPdu(`bind_${type}`, { systemId, password });
    const response = await session.request(pdu);
    return response.commandStatus;
  } finally {
    session.close();
  }
}

/** Sends a submit_sm (GSM-7 "Hello" to 4512345678 unless overridden; no text with message_payload) and resolves with the response. */
export function submit(session: SmppSession, init: PduInit<'submit_sm'> = {}): Promise<SubmitSmResp> {
  return session.request(
    createPdu('submit_sm', {
      sourceAddr: 'smsgw',
      sourceAddrTon: 5,
      destAddrTon: 1,
      destAddrNpi: 1,
      destinationAddr: '4512345678',
      shortMessage: init.tlvs?.messagePayload === undefined ? Buffer.from('Hello') : new Uint8Array(0),
      ...init,
    }),
  );
}

/** A submit stored in SMS_SUBMIT, decoded, with its headers. */
export interface StoredSubmit {
  readonly subject: string;
  readonly message: SubmitAccepted;
  readonly msgId: string | undefined;
  readonly traceparent: string | undefined;
}

/** Every submit in SMS_SUBMIT, in stream order (read with direct gets; nothing is consumed). */
export async function storedSubmits(nats: NatsFixture): Promise<StoredSubmit[]> {
  const info = await nats.topology.jsm.streams.info(StreamName.submit);
  const out: StoredSubmit[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const stored = await nats.topology.jsm.streams.getMessage(StreamName.submit, { seq });
    if (stored === null) continue;
    out.push({
      subject: stored.subject,
      message: fromBinary(SubmitAcceptedSchema, stored.data),
      msgId: stored.header.get(Header.msgId) || undefined,
      traceparent: stored.header.get(Header.traceparent) || undefined,
    });
  }
  return out;
}
