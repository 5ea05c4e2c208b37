// The JetStream state reader against a real server: depths, lags and DLR backlogs with their age.
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '@smsgw/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectNats } from './connect.ts';
import { ensureConnectorLanes, ensureTopology } from './ensure-topology.ts';
import { readConsumerLags, readDlrBacklogs, readStreamDepths } from './jetstream-state.ts';
import { ConsumerName, StreamName, connectorLaneConsumerName, dlrSubject, routeSubject } from './topology.ts';

let server: NatsServerHandle;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({
    ...server.connectOptions,
    name: 'jetstream-state-test',
    waitOnFirstConnect: false,
  });
  ({ js, jsm } = await ensureTopology(nc, { owner: 'all' }));
  await ensureConnectorLanes(jsm, 'sim', { owner: 'all' });
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

it('reads stream depths, consumer lags and each account’s DLR backlog with its oldest age', async () => {
  const before = Date.now();
  for (let i = 0; i < 3; i++) await js.publish(routeSubject('sim', 2), `r${i}`);
  await js.publish(dlrSubject('acme'), 'a0');
  await js.publish(dlrSubject('acme', 3), 'a1');
  await js.publish(dlrSubject('beta.x'), 'b0');

  const depths = await readStreamDepths(jsm);
  expect(depths.find((d) => d.stream === StreamName.route)).toMatchObject({ messages: 3 });
  expect(depths.find((d) => d.stream === StreamName.submit)).toMatchObject({ messages: 0 });
  expect(depths.find((d) => d.stream === StreamName.submit)?.oldestAgeMs).toBeUndefined();
  expect(depths.find((d) => d.stream === StreamName.dlr)?.oldestAgeMs).toBeGreaterThanOrEqual(0);
  expect(await readStreamDepths(jsm, ['NO_SUCH_STREAM'])).toEqual([]);

  const lags = await readConsumerLags(jsm, [StreamName.route, StreamName.submit, 'NO_SUCH_STREAM']);
  expect(lags.find((l) => l.consumer === connectorLaneConsumerName('sim', 2))).toMatchObject({
    stream: StreamName.route,
    pending: 3,
    ackPending: 0,
  });
  expect(lags.find((l) => l.consumer === ConsumerName.router)).toMatchObject({ pending: 0 });

  const backlogs = await readDlrBacklogs(jsm, { now: Date.now() + 1_000 });
  expect(backlogs.map((b) => [b.account, b.messages])).toEqual([
    ['acme', 2],
    ['beta.x', 1],
  ]);
  for (const b of backlogs) {
    expect(b.oldestAgeMs).toBeGreaterThanOrEqual(1_000);
    expect(b.oldestAgeMs).toBeLessThan(Date.now() - before + 2_000);
  }
  const firstOnly = await readDlrBacklogs(jsm, { ageOf: 1 });
  expect(firstOnly[1]?.oldestAgeMs).toBeUndefined();
});
