/**
 * Session throughput on loopback: a client keeps `window` submit_sm in flight
 * against a server that answers submit_sm_resp at once. Ours (connectSmpp →
 * createSmppServer) against node-smpp's client and server, both in this one
 * process, so each pair shares the same CPU budget.
 */
import { once } from 'node:events';
import smpp from 'smpp';
import { CommandStatus } from '../src/constants/command-status.ts';
import { createPdu } from '../src/pdu/create.ts';
import { connectSmpp } from '../src/session/client.ts';
import { createSmppServer } from '../src/session/server.ts';
import { encodeText } from '../src/text/text-codec.ts';
import { formatRate } from './measure.ts';

const text = 'Your verification code is 483920. It expires in 10 minutes.';
const host = '127.0.0.1';

async function oursPerSecond(window: number, seconds: number): Promise<number> {
  let nextId = 0;
  const server = createSmppServer({ inboundWindow: Math.max(window, 100) }, (session) => {
    session.on('bind', (pdu) => session.reply(pdu, CommandStatus.ESME_ROK, { systemId: 'bench' }));
    session.on('request', (pdu) => {
      if (pdu.command === 'submit_sm')
        session.reply(pdu, CommandStatus.ESME_ROK, { messageId: String(++nextId) });
      else session.reject(pdu, CommandStatus.ESME_RINVCMDID);
    });
  });
  const { port } = await server.listen(0, host);
  const client = await connectSmpp({ host, port, windowSize: window });
  await client.bind('transceiver', { systemId: 'bench', password: 'bench' });

  let done = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      await client.request(
        createPdu('submit_sm', {
          sourceAddrTon: 5,
          sourceAddr: 'ExampleCo',
          destAddrTon: 1,
          destAddrNpi: 1,
          destinationAddr: '4512345678',
          registeredDelivery: 1,
          shortMessage: encodeText(text, 0),
        }),
      );
      done++;
    }
  };
  await Promise.all(Array.from({ length: window }, worker));
  const rate = (done * 1000) / (performance.now() - start);
  await client.unbind();
  await server.close();
  return rate;
}

async function nodeSmppPerSecond(window: number, seconds: number): Promise<number> {
  let nextId = 0;
  const server = smpp.createServer({}, (session) => {
    session.on('bind_transceiver', (pdu: smpp.PDU) => session.send(pdu.response()));
    session.on('submit_sm', (pdu: smpp.PDU) => session.send(pdu.response({ message_id: String(++nextId) })));
    session.on('unbind', (pdu: smpp.PDU) => {
      session.send(pdu.response());
      session.close();
    });
  });
  server.listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new TypeError('node-smpp server has no port');
  const client = smpp.connect({ url: `smpp://${host}:${address.port}`, auto_enquire_link_period: 0 });
  await once(client, 'connect');
  await new Promise<void>((resolve) => {
    client.bind_transceiver({ system_id: 'bench', password: 'bench' }, () => {
      resolve();
    });
  });

  let done = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    let running = window;
    const sendOne = (): void => {
      client.submit_sm(
        {
          source_addr_ton: 5,
          source_addr: 'ExampleCo',
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: '4512345678',
          registered_delivery: 1,
          data_coding: 0,
          short_message: text,
        },
        () => {
          done++;
          if (performance.now() < end) sendOne();
          else if (--running === 0) resolve();
        },
      );
    };
    for (let i = 0; i < window; i++) sendOne();
  });
  const rate = (done * 1000) / (performance.now() - start);
  client.destroy();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return rate;
}

/** Runs the session benchmark for windows 10 and 100, prints each figure and returns our/node-smpp ratios. */
export async function sessionBenchmarks(seconds: number): Promise<number[]> {
  console.log(`session: submit_sm → submit_sm_resp on loopback, one client (${seconds}s each)`);
  const ratios: number[] = [];
  for (const window of [10, 100]) {
    const ours = await oursPerSecond(window, seconds);
    const theirs = await nodeSmppPerSecond(window, seconds);
    ratios.push(ours / theirs);
    console.log(
      `  window ${window}: smsgw ${formatRate(ours)}/s, node-smpp ${formatRate(theirs)}/s, ${(ours / theirs).toFixed(1)}x`,
    );
  }
  return ratios;
}
