/**
 * The smpp driver against an SMSC written with the npm `smpp` package's server
 * (test-smsc.test-support.ts), with the upstream id mapping in a real
 * JetStream KV bucket. The driver's context records the statuses it reports
 * (the worker's publishing is tested in connector-worker.test.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { SpanKind } from '@opentelemetry/api';
import { SmppAttr, SmsgwAttr } from '@smsgw/telemetry';
import { useTestTracing } from '@smsgw/telemetry/testing';
import { generate } from 'selfsigned';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connectNats } from '@smsgw/nats';
import { MessageState, envelopeOf, type MessageEnvelope, type SubmitAccepted } from '@smsgw/proto';
import { createMetrics, loadConfig, type Environment, type Metrics } from '@smsgw/runtime';
import { CommandStatus } from '@smsgw/smpp';
import { TRACEPARENT, startNatsServer, waitFor, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectorConfig } from '../config.ts';
import { counterValue, routedMessage, silentLogger } from '../connector.test-support.ts';
import type { Delivery, StatusReport } from '../driver.ts';
import type { InboundMo } from '../mo/mo-intake.ts';
import { StatusPublishError, TryNextConnectorError } from '../errors.ts';
import { UpstreamTransientError, createSmppDriver, type SmppDriver } from './smpp-driver.ts';
import { smppSettingsOf } from './smpp-settings.ts';
import { TestSmsc, receiptText } from './test-smsc.test-support.ts';
import { openUpstreamIdStore } from './upstream-id-store.ts';

const tracing = useTestTracing();
let server: NatsServerHandle;
let nc: NatsConnection;
let serial = 0;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({ ...server.connectOptions, name: 'smpp-driver-test', waitOnFirstConnect: false });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

/** A status the driver reported, with the message it was for. */
interface Reported {
  readonly messageId: string;
  readonly status: StatusReport;
}

interface Harness {
  readonly smsc: TestSmsc;
  readonly driver: SmppDriver;
  readonly metrics: Metrics;
  /** Statuses reported later, through the context (receipts). */
  readonly later: Reported[];
  /** Makes the context's report fail (the status stream is down). */
  failReports: boolean;
  /** MOs handed to the context. */
  readonly mos: InboundMo[];
  /** What the context answers an MO. */
  moStatus: number;
  /** A delivery of a new message to `destination`; its reports go to `reports`. */
  delivery(destination?: string): Delivery & { readonly reports: StatusReport[] };
}

/** A test SMSC and an smpp driver bound to it with `env` over the defaults. */
async function harness(env: Environment = {}, smsc?: TestSmsc): Promise<Harness> {
  const upstream = smsc ?? (await TestSmsc.start());
  if (smsc === undefined) cleanups.push(() => upstream.stop());
  const connector = `up-${++serial}`;
  const config = loadConfig(connectorConfig, {
    CONNECTOR_NAME: connector,
    CONNECTOR_DRIVER: 'smpp',
    CONNECTOR_SMPP_HOST: '127.0.0.1',
    CONNECTOR_SMPP_PORT: String(upstream.port),
    CONNECTOR_SMPP_SYSTEM_ID: 'esme',
    CONNECTOR_SMPP_PASSWORD: 'secret',
    CONNECTOR_SMPP_RECONNECT_MIN: '50',
    CONNECTOR_SMPP_RECONNECT_MAX: '200',
    CONNECTOR_SMPP_RESPONSE_TIMEOUT: '3s',
    CONNECTOR_SMPP_RECEIPT_WAIT: '2s',
    ...env,
  });
  const metrics = createMetrics({ service: 'connector-test', defaultMetrics: false });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const driver = createSmppDriver({
    settings: smppSettingsOf(config),
    metrics,
    openStore: () => openUpstreamIdStore({ js, jsm, connector, replicas: 1 }),
  });
  const later: Reported[] = [];
  const h: Harness = {
    smsc: upstream,
    driver,
    metrics,
    later,
    failReports: false,
    mos: [],
    moStatus: 0,
    delivery(destination = '4512345670') {
      const routed = routedMessage({ messageId: `m-${connector}-${++serial}`, destination, connector });
      const submit = routed.submit as SubmitAccepted;
      const reports: StatusReport[] = [];
      return {
        submit,
        routed,
        priority: 0,
        envelope: envelopeOf(submit, 0),
        signal: new AbortController().signal,
        reports,
        accepted: () => undefined,
        report: (status) => {
          reports.push(status);
          return Promise.resolve();
        },
      };
    },
  };
  await driver.start?.({
    logger: silentLogger(),
    report: (envelope: MessageEnvelope, status) => {
      if (h.failReports) return Promise.reject(new StatusPublishError('no PubAck'));
      later.push({ messageId: envelope.messageId, status });
      return Promise.resolve();
    },
    receiveMo: (mo) => {
      h.mos.push(mo);
      return Promise.resolve({ commandStatus: h.moStatus });
    },
  });
  cleanups.push(() => driver.close());
  await waitFor('a bound session', () => driver.ready?.() === true);
  return h;
}

/** The upstream id the SMSC gave the last accepted submit. */
function lastUpstreamId(h: Harness): string {
  const last = h.smsc.submits.at(-1);
  if (last === undefined) throw new Error('no submit accepted');
  return last.messageId;
}

describe('smpp driver: binds and submits', () => {
  it('binds transceivers, submits, stores the mapping and reports ENROUTE with the upstream id', async () => {
    const h = await harness({ CONNECTOR_SMPP_SESSIONS: '2' });
    await waitFor('two binds', () => h.smsc.binds.length === 2);
    expect(h.smsc.binds.map((b) => b.command)).toEqual(['bind_transceiver', 'bind_transceiver']);
    const d = h.delivery();
    await h.driver.send(d);
    const id = lastUpstreamId(h);
    expect(d.reports).toEqual([{ messageState: MessageState.ENROUTE, upstreamMessageId: id }]);
    const pdu = h.smsc.submits[0]?.pdu;
    expect(pdu).toMatchObject({
      destination_addr: '4512345670',
      source_addr: 'ExampleCo',
      registered_delivery: 1,
    });

    // The receipt (with the TLVs) finds the message and is answered after the report.
    const status = await h.smsc.deliver({
      esm_class: 0x04,
      short_message: receiptText(id),
      receipted_message_id: id,
      message_state: 2,
    });
    expect(status).toBe(CommandStatus.ESME_ROK);
    expect(h.later).toEqual([
      {
        messageId: d.submit.messageId,
        status: { messageState: MessageState.DELIVERED, errorCode: 0, upstreamMessageId: id },
      },
    ]);
    expect(await counterValue(h.metrics, 'smsgw_connector_smpp_receipts_total', { result: 'matched' })).toBe(
      1,
    );
    expect(
      await counterValue(h.metrics, 'smsgw_connector_smpp_submits_total', { command_status: 'ESME_ROK' }),
    ).toBe(1);
  });

  it('binds transmitter + receiver pairs and takes receipts on the receivers', async () => {
    const h = await harness({
      CONNECTOR_SMPP_BIND_MODE: 'transmitter-receiver',
      CONNECTOR_SMPP_SESSIONS: '2',
    });
    await waitFor('four binds', () => h.smsc.binds.length === 4 && h.smsc.receivers.size === 2);
    expect(h.smsc.binds.map((b) => b.command).sort()).toEqual([
      'bind_receiver',
      'bind_receiver',
      'bind_transmitter',
      'bind_transmitter',
    ]);
    const d = h.delivery();
    await h.driver.send(d);
    const id = lastUpstreamId(h);
    for (const receiver of h.smsc.receivers) {
      // The same receipt on both receivers: the second is a duplicate the status stream drops.
      expect(await h.smsc.deliver({ esm_class: 0x04, short_message: receiptText(id) }, receiver)).toBe(0);
    }
    expect(h.later.map((r) => r.messageId)).toEqual([d.submit.messageId, d.submit.messageId]);
  });

  it('keeps each session within its window', async () => {
    const h = await harness({ CONNECTOR_SMPP_SESSIONS: '2', CONNECTOR_SMPP_WINDOW: '3' });
    await waitFor('two binds', () => h.smsc.binds.length === 2);
    h.smsc.answer = (_pdu, n) => ({ messageId: String(n), delayMs: 20 });
    await Promise.all(Array.from({ length: 30 }, () => h.driver.send(h.delivery())));
    expect(h.smsc.submits).toHaveLength(30);
    expect(h.smsc.maxInFlight).toBeGreaterThan(1);
    expect(h.smsc.maxInFlight).toBeLessThanOrEqual(6);
  });

  it('binds over TLS, verifying the SMSC certificate against the CA file', async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] }],
    });
    const dir = await mkdtemp(join(tmpdir(), 'smpp-driver-tls-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, pems.cert);
    const smsc = await TestSmsc.start(0, { key: pems.private, cert: pems.cert });
    cleanups.push(() => smsc.stop());
    const h = await harness(
      {
        CONNECTOR_SMPP_TLS: '1',
        CONNECTOR_SMPP_TLS_CA_FILE: caFile,
        CONNECTOR_SMPP_TLS_SERVERNAME: 'localhost',
      },
      smsc,
    );
    const d = h.delivery();
    await h.driver.send(d);
    expect(d.reports).toMatchObject([{ messageState: MessageState.ENROUTE }]);
  });

  it('refuses a wrong password and keeps retrying the bind', async () => {
    const smsc = await TestSmsc.start();
    cleanups.push(() => smsc.stop());
    const config = loadConfig(connectorConfig, {
      CONNECTOR_DRIVER: 'smpp',
      CONNECTOR_SMPP_HOST: '127.0.0.1',
      CONNECTOR_SMPP_PORT: String(smsc.port),
      CONNECTOR_SMPP_SYSTEM_ID: 'esme',
      CONNECTOR_SMPP_PASSWORD: 'wrong',
      CONNECTOR_SMPP_RECONNECT_MIN: '20',
      CONNECTOR_SMPP_RECONNECT_MAX: '40',
    });
    const jsm = await jetstreamManager(nc);
    const driver = createSmppDriver({
      settings: smppSettingsOf(config),
      metrics: createMetrics({ service: 'connector-test', defaultMetrics: false }),
      openStore: () =>
        openUpstreamIdStore({
          js: jetstream(nc),
          jsm,
          connector: 'wrong',
          replicas: 1,
        }),
    });
    await driver.start?.({
      logger: silentLogger(),
      report: () => Promise.resolve(),
      receiveMo: () => Promise.resolve({ commandStatus: 0 }),
    });
    cleanups.push(() => driver.close());
    await waitFor('three bind attempts', () => smsc.binds.length >= 3);
    expect(driver.ready?.()).toBe(false);
  });
});

describe('smpp driver: tracing', () => {
  it('the upstream submit_sm is a CLIENT span in the message’s trace, carrying the upstream id', async () => {
    const h = await harness();
    const d = h.delivery();
    d.envelope.traceparent = TRACEPARENT;
    await h.driver.send(d);
    const span = tracing.spans().find((s) => s.name === 'submit_sm');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.spanContext().traceId).toBe(TRACEPARENT.split('-')[1]);
    expect(span?.attributes[SmsgwAttr.upstreamMessageId]).toBe(lastUpstreamId(h));
    expect(span?.attributes[SmppAttr.commandStatus]).toBe('ESME_ROK');
  });
});

describe('smpp driver: upstream answers', () => {
  it('ESME_RTHROTTLED rejects (retry later) and pauses the whole connector', async () => {
    const h = await harness({ CONNECTOR_SMPP_THROTTLE_PAUSE: '300ms' });
    h.smsc.answer = (_pdu, n) =>
      n % 2 === 1 ? { status: CommandStatus.ESME_RTHROTTLED } : { messageId: String(n) };
    const first = h.delivery();
    await expect(h.driver.send(first)).rejects.toBeInstanceOf(UpstreamTransientError);
    const pausedAt = performance.now();
    await h.driver.send(h.delivery());
    // The next submit waited for the pause (bounded below only: never a speed assertion).
    expect(performance.now() - pausedAt).toBeGreaterThanOrEqual(250);
    expect(first.reports).toEqual([]);
    expect(await counterValue(h.metrics, 'smsgw_connector_smpp_throttled_total', {})).toBe(1);
  });

  it('ESME_RMSGQFUL rejects for a retry', async () => {
    const h = await harness();
    h.smsc.answer = () => ({ status: CommandStatus.ESME_RMSGQFUL });
    await expect(h.driver.send(h.delivery())).rejects.toBeInstanceOf(UpstreamTransientError);
  });

  it('a submit_sm_resp that never comes rejects after the response timeout', async () => {
    const h = await harness({ CONNECTOR_SMPP_RESPONSE_TIMEOUT: '200ms' });
    h.smsc.answer = (_pdu, n) => ({ messageId: String(n), delayMs: 60_000 });
    await expect(h.driver.send(h.delivery())).rejects.toBeInstanceOf(UpstreamTransientError);
    expect(
      await counterValue(h.metrics, 'smsgw_connector_smpp_submits_total', { command_status: 'timeout' }),
    ).toBe(1);
  });

  it.each([
    [CommandStatus.ESME_RINVDSTADR, MessageState.REJECTED, 0x1060],
    [CommandStatus.ESME_RINVSRCADR, MessageState.REJECTED, 0x110a],
    [CommandStatus.ESME_RSUBMITFAIL, MessageState.UNDELIVERABLE, 0x1145],
    [0x400, MessageState.REJECTED, 0x11ff],
  ])('permanent status %i is a final status', async (commandStatus, messageState, errorCode) => {
    const h = await harness();
    h.smsc.answer = () => ({ status: commandStatus });
    const d = h.delivery();
    await h.driver.send(d);
    expect(d.reports).toEqual([{ messageState, errorCode }]);
  });

  it('a status marked "try next" hands the message to the next connector', async () => {
    const h = await harness({ CONNECTOR_TRY_NEXT_STATUSES: 'ESME_RINVDSTADR, 0x45' });
    h.smsc.answer = () => ({ status: CommandStatus.ESME_RSUBMITFAIL });
    const error = await h.driver.send(h.delivery()).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(TryNextConnectorError);
    expect(error).toMatchObject({ commandStatus: CommandStatus.ESME_RSUBMITFAIL });
  });
});

describe('smpp driver: receipts', () => {
  it.each([
    ['3.4 text, no TLV', (id: string) => ({ esm_class: 0x04, short_message: receiptText(id) })],
    [
      'upper-case labels, missing fields',
      (id: string) => ({ esm_class: 0x04, short_message: `ID:${id} STAT:DELIVRD ERR:000` }),
    ],
    [
      'esm_class 0x44 with the id only in the TLV',
      (id: string) => ({
        esm_class: 0x04,
        receipted_message_id: id,
        message_state: 2,
        short_message: 'stat:DELIVRD',
      }),
    ],
  ])('%s', async (_name, receipt) => {
    const h = await harness();
    const d = h.delivery();
    await h.driver.send(d);
    expect(await h.smsc.deliver(receipt(lastUpstreamId(h)))).toBe(0);
    expect(h.later).toEqual([
      {
        messageId: d.submit.messageId,
        status: expect.objectContaining({ messageState: MessageState.DELIVERED }) as unknown,
      },
    ]);
  });

  it('maps stat and err (numbers and words) to the state and error code', async () => {
    const h = await harness();
    const cases: [stat: string, err: string, state: number, code: number][] = [
      ['UNDELIV', '019', MessageState.UNDELIVERABLE, 0x1013],
      ['expired', '34', MessageState.EXPIRED, 0x1022],
      ['REJECTD', 'X7', MessageState.REJECTED, 0x13e7],
      ['DELETED', '1234', MessageState.DELETED, 0x13e7],
      ['ACCEPTD', '000', MessageState.ACCEPTED, 0],
      ['UNKNOWN', '000', MessageState.UNKNOWN, 0],
      ['ENROUTE', '000', MessageState.ENROUTE, 0],
    ];
    for (const [stat, err, state, code] of cases) {
      const d = h.delivery();
      await h.driver.send(d);
      expect(
        await h.smsc.deliver({ esm_class: 0x04, short_message: receiptText(lastUpstreamId(h), stat, err) }),
      ).toBe(0);
      expect(h.later.at(-1)).toEqual({
        messageId: d.submit.messageId,
        status: { messageState: state, errorCode: code, upstreamMessageId: lastUpstreamId(h) },
      });
    }
  });

  it('hex ids in submit_sm_resp, decimal in the receipt text, any case', async () => {
    const h = await harness({
      CONNECTOR_SMPP_SUBMIT_ID_BASE: 'hex',
      CONNECTOR_SMPP_RECEIPT_ID_BASE: 'decimal',
    });
    h.smsc.answer = (_pdu, n) => ({ messageId: `00${(n * 7919).toString(16).toUpperCase()}` });
    const d = h.delivery();
    await h.driver.send(d);
    const decimal = String(parseInt(lastUpstreamId(h), 16));
    expect(await h.smsc.deliver({ esm_class: 0x04, short_message: receiptText(decimal) })).toBe(0);
    expect(h.later.map((r) => r.messageId)).toEqual([d.submit.messageId]);
    // The TLV is written like the resp: hex, here in lower case.
    expect(
      await h.smsc.deliver({
        esm_class: 0x04,
        receipted_message_id: lastUpstreamId(h).toLowerCase(),
        short_message: 'stat:UNDELIV err:001',
      }),
    ).toBe(0);
    expect(h.later.map((r) => r.messageId)).toEqual([d.submit.messageId, d.submit.messageId]);
  });

  it('a receipt that overtakes its submit_sm_resp is matched once the mapping exists', async () => {
    const h = await harness();
    h.smsc.answer = (_pdu, n) => ({
      messageId: String(n),
      receiptFirst: { esm_class: 0x04, short_message: receiptText(String(n)) },
    });
    const d = h.delivery();
    await h.driver.send(d);
    await waitFor('the early receipt', () => h.later.length === 1);
    expect(h.later[0]?.messageId).toBe(d.submit.messageId);
  });

  it('an unknown id is answered ESME_ROK, counted, after the bounded wait', async () => {
    const h = await harness({ CONNECTOR_SMPP_RECEIPT_WAIT: '300ms' });
    expect(await h.smsc.deliver({ esm_class: 0x04, short_message: receiptText('999999') })).toBe(0);
    expect(await h.smsc.deliver({ esm_class: 0x04, short_message: 'stat:DELIVRD' })).toBe(0);
    expect(h.later).toEqual([]);
    expect(
      await counterValue(h.metrics, 'smsgw_connector_smpp_receipts_total', { result: 'unmatched' }),
    ).toBe(2);
  });

  it('a status that cannot be stored is answered ESME_RX_T_APPN, so the SMSC resends the receipt', async () => {
    const h = await harness();
    const d = h.delivery();
    await h.driver.send(d);
    h.failReports = true;
    const receipt = { esm_class: 0x04, short_message: receiptText(lastUpstreamId(h)) };
    expect(await h.smsc.deliver(receipt)).toBe(CommandStatus.ESME_RX_T_APPN);
    h.failReports = false;
    expect(await h.smsc.deliver(receipt)).toBe(0);
    expect(h.later.map((r) => r.messageId)).toEqual([d.submit.messageId]);
    expect(h.smsc.submits).toHaveLength(1);
  });

  it('a data_sm receipt (TLVs only) is matched and answered with data_sm_resp', async () => {
    const h = await harness();
    const d = h.delivery();
    await h.driver.send(d);
    const id = lastUpstreamId(h);
    expect(await h.smsc.dataSm({ esm_class: 0x04, receipted_message_id: id, message_state: 5 })).toBe(0);
    expect(h.later).toEqual([
      {
        messageId: d.submit.messageId,
        status: { messageState: MessageState.UNDELIVERABLE, errorCode: 0, upstreamMessageId: id },
      },
    ]);
  });

  it('a deliver_sm that is not a receipt (MO) goes to the MO intake and is answered what it says', async () => {
    const h = await harness();
    expect(
      await h.smsc.deliver({
        esm_class: 0x40,
        source_addr: '4512345678',
        dest_addr_ton: 1,
        destination_addr: '4599999999',
        data_coding: 8,
        short_message: { udh: Buffer.from([5, 0, 3, 7, 2, 1]), message: Buffer.from([0, 0x41]) },
      }),
    ).toBe(0);
    expect(await counterValue(h.metrics, 'smsgw_connector_smpp_mo_total', {})).toBe(1);
    expect(h.mos).toHaveLength(1);
    const mo = h.mos[0];
    expect(mo?.command).toBe('deliver_sm');
    expect(mo?.source.addr).toBe('4512345678');
    expect(mo?.destination).toMatchObject({ ton: 1, addr: '4599999999' });
    expect(mo?.esmClass).toBe(0x40);
    expect(mo?.dataCoding).toBe(8);
    expect(Buffer.from(mo?.shortMessage ?? []).toString('hex')).toBe('0500030702010041');
    h.moStatus = 0x0b;
    expect(await h.smsc.deliver({ esm_class: 0, short_message: 'STOP' })).toBe(0x0b);
    // data_sm carries its text in message_payload.
    expect(
      await h.smsc.dataSm({ esm_class: 0, destination_addr: '1234', message_payload: Buffer.from('HI') }),
    ).toBe(0x0b);
    expect(Buffer.from(h.mos[2]?.shortMessage ?? []).toString()).toBe('HI');
    expect(h.mos[2]?.command).toBe('data_sm');
  });
});

describe('smpp driver: SMSC down and back', () => {
  it('the SMSC going away and coming back on the same port: every message handed over', async () => {
    const first = await TestSmsc.start();
    const port = first.port;
    let smsc = first;
    cleanups.push(() => smsc.stop());
    const h = await harness({}, first);
    const deliveries = Array.from({ length: 100 }, () => h.delivery());
    const sendUntilDone = async (d: Delivery): Promise<void> => {
      for (;;) {
        try {
          await h.driver.send(d);
          return;
        } catch (err) {
          expect(err).toBeInstanceOf(UpstreamTransientError);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const all = Promise.all(deliveries.map(sendUntilDone));
    await waitFor('some submits', () => first.submits.length >= 20);
    await first.stop();
    await waitFor('no bound session', () => h.driver.ready?.() === false);
    smsc = await TestSmsc.start(port);
    await all;
    expect(deliveries.every((d) => d.reports.at(-1)?.messageState === MessageState.ENROUTE)).toBe(true);
    expect(first.submits.length + smsc.submits.length).toBeGreaterThanOrEqual(100);
  });
});

describe('smpp driver: drain', () => {
  it('close() waits for the outstanding submit_sm_resp, unbinds transmitters, then receivers', async () => {
    const h = await harness({
      CONNECTOR_SMPP_BIND_MODE: 'transmitter-receiver',
      CONNECTOR_SMPP_SESSIONS: '2',
    });
    await waitFor('four binds', () => h.smsc.binds.length === 4);
    h.smsc.answer = (_pdu, n) => ({ messageId: String(n), delayMs: 300 });
    const d = h.delivery();
    const sending = h.driver.send(d);
    await waitFor('the submit at the SMSC', () => h.smsc.inFlight === 1);
    await h.driver.close();
    await sending;
    expect(d.reports).toEqual([{ messageState: MessageState.ENROUTE, upstreamMessageId: lastUpstreamId(h) }]);
    expect(h.smsc.unbinds).toEqual([
      'bind_transmitter',
      'bind_transmitter',
      'bind_receiver',
      'bind_receiver',
    ]);
    expect(h.driver.ready?.()).toBe(false);
  });
});

describe('smpp driver: connections lost', () => {
  it('the SMSC dropping every connection mid-stream loses nothing; resends are counted', async () => {
    const h = await harness({ CONNECTOR_SMPP_SESSIONS: '2', CONNECTOR_SMPP_WINDOW: '5' });
    h.smsc.answer = (_pdu, n) => ({ messageId: String(n), delayMs: 5 });
    const deliveries = Array.from({ length: 200 }, () => h.delivery());
    let failures = 0;
    // As the worker does: a rejected send is retried later, until it resolves.
    const sendUntilDone = async (d: Delivery): Promise<void> => {
      for (;;) {
        try {
          await h.driver.send(d);
          return;
        } catch (err) {
          expect(err).toBeInstanceOf(UpstreamTransientError);
          failures++;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const all = Promise.all(deliveries.map(sendUntilDone));
    await waitFor('some submits', () => h.smsc.submits.length >= 40);
    h.smsc.dropAll();
    await waitFor('more submits', () => h.smsc.submits.length >= 120);
    h.smsc.dropAll();
    await all;
    expect(failures).toBeGreaterThan(0);
    for (const d of deliveries) {
      expect(d.reports.at(-1)).toMatchObject({ messageState: MessageState.ENROUTE });
    }
    // Every message reached the SMSC; some may have twice (resp lost with the connection).
    const destinations = new Set(h.smsc.submits.map((s) => s.pdu['destination_addr']));
    expect(destinations.size).toBe(1);
    expect(h.smsc.submits.length).toBeGreaterThanOrEqual(200);
    const reported = new Set(deliveries.map((d) => d.reports.at(-1)?.upstreamMessageId));
    expect(reported.size).toBe(200);
    const lost = await counterValue(h.metrics, 'smsgw_connector_smpp_submits_total', {
      command_status: 'session_lost',
    });
    // Each resent submit is one whose submit_sm_resp the dropped connection took (or one sent to a dying socket).
    expect(h.smsc.submits.length - 200).toBeLessThanOrEqual(lost);
  });
});
