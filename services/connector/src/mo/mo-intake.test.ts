/** The MO intake against a real NATS server: stored before ESME_ROK, unowned refused, trace fields carried. */
import { create, fromBinary } from '@bufbuild/protobuf';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { NumberPlan, parseNumberRange } from '@smsgw/accounts';
import { StreamName, connectNats, ensureTopology, moSubject } from '@smsgw/nats';
import { AddressSchema, MobileOriginatedSchema } from '@smsgw/proto';
import { createMetrics } from '@smsgw/runtime';
import { CommandStatus } from '@smsgw/smpp';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterValue, silentLogger } from '../connector.test-support.ts';
import { createMoReceiver, type InboundMo } from './mo-intake.ts';
import { createMoMetrics } from './mo-metrics.ts';

let server: NatsServerHandle;
let nc: NatsConnection;
let js: JetStreamClient;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({ ...server.connectOptions, name: 'mo-intake-test', waitOnFirstConnect: false });
  js = (await ensureTopology(nc, { owner: 'all' })).js;
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

const plan = new NumberPlan().withAdded('acme', [parseNumberRange('4599990000-4599990099')]);

function mo(destination: string, shortMessage = new Uint8Array([0x48, 0x49])): InboundMo {
  return {
    command: 'deliver_sm',
    source: create(AddressSchema, { ton: 1, npi: 1, addr: '4512345678' }),
    destination: create(AddressSchema, { ton: 1, npi: 1, addr: destination }),
    esmClass: 0x44,
    dataCoding: 8,
    protocolId: 0,
    shortMessage,
  };
}

describe('MO intake', () => {
  it('stores an MO for the owner before answering ESME_ROK, refuses the rest', async () => {
    const registry = createMetrics({ service: 'connector-test', defaultMetrics: false });
    let loaded = false;
    const receive = createMoReceiver({
      js,
      connector: 'up',
      owners: () => (loaded ? plan : undefined),
      unownedStatus: CommandStatus.ESME_RINVDSTADR,
      metrics: createMoMetrics(registry),
      logger: silentLogger(),
    });
    expect((await receive(mo('4599990001'))).commandStatus).toBe(CommandStatus.ESME_RX_T_APPN);
    loaded = true;
    const stored = await receive(mo('4599990042', new Uint8Array([5, 0, 3, 1, 2, 1, 0xd8, 0x3d])));
    expect(stored).toMatchObject({ commandStatus: CommandStatus.ESME_ROK, systemId: 'acme' });
    expect((await receive(mo('4511111111'))).commandStatus).toBe(CommandStatus.ESME_RINVDSTADR);

    const last = await (
      await js.jetstreamManager()
    ).streams.getMessage(StreamName.mo, {
      last_by_subj: moSubject('acme'),
    });
    if (last === null) throw new Error('no MO stored');
    const message = fromBinary(MobileOriginatedSchema, last.data);
    expect(message.moId).toBe(stored.moId);
    expect(message).toMatchObject({ systemId: 'acme', connector: 'up', dataCoding: 8, esmClass: 0x40 });
    expect(message.destination?.addr).toBe('4599990042');
    expect([...message.shortMessage]).toEqual([5, 0, 3, 1, 2, 1, 0xd8, 0x3d]);
    expect(last.header.get('Nats-Msg-Id')).toBe(stored.moId);
    expect(await counterValue(registry, 'smsgw_connector_mo_total', { outcome: 'stored' })).toBe(1);
    expect(await counterValue(registry, 'smsgw_connector_mo_total', { outcome: 'unowned' })).toBe(1);
    expect(await counterValue(registry, 'smsgw_connector_mo_total', { outcome: 'not_ready' })).toBe(1);
  });
});
