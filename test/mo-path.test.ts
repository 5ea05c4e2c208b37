/**
 * Two-way SMS end to end (docs/architecture.md, "An MO's life"): an upstream
 * SMSC on node-smpp's server sends MOs through the `smpp` connector; they reach
 * node-smpp customers of the owning account bound on two edges, each exactly
 * once, byte-exact, in GSM-7, UCS-2 with an emoji, Latin-1 and concatenated
 * parts with a UDH. A number nobody owns is refused; MOs sent while the account
 * has no receiver wait and arrive on bind. `BENCH_MO_MESSAGES=<n>` prints MO/s
 * through one connector (SMSC deliver_sm → stored, and → customer).
 */
import { NumberStore, parseNumberRange } from '@smsgw/accounts';
import * as smpp from 'smpp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from './support/local-system.ts';
import { bindCustomer, type ReceivedReport, type SmppCustomer } from './support/smpp-customer.ts';
import { UpstreamSmsc } from './support/upstream-smsc.ts';

const password = 'secret12';
let system: LocalSystem;
let smsc: UpstreamSmsc;
const customers: SmppCustomer[] = [];

beforeAll(async () => {
  smsc = await UpstreamSmsc.start();
  system = await startLocalSystem({
    edges: 2,
    dispatchers: 1,
    accounts: ['mo-owner', 'mo-other'],
    password,
    env: {
      connector: smsc.connectorEnv({
        CONNECTOR_SMPP_SESSIONS: '2',
        CONNECTOR_MO_UNOWNED_COMMAND_STATUS: 'ESME_RINVDSTADR',
      }),
    },
  });
  const numbers = new NumberStore(system.topology.kv.numbers);
  await numbers.add('mo-owner', [parseNumberRange('4599990000-4599990999'), parseNumberRange('1234')]);
  await numbers.add('mo-other', [parseNumberRange('4588880000')]);
  const deadline = Date.now() + 30_000;
  while (!smsc.hasReceiver && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}, 120_000);

afterAll(async () => {
  await Promise.all(customers.map((c) => c.close()));
  await system.close();
  await smsc.stop();
});

async function customer(
  edge: number,
  systemId: string,
  bind: 'bind_receiver' | 'bind_transceiver',
): Promise<SmppCustomer> {
  const c = await bindCustomer(system.edges[edge]?.smppPort ?? 0, bind, { systemId, password });
  customers.push(c);
  return c;
}

/** Waits until `count` deliver_sm arrived over the customers. */
async function received(
  cs: readonly SmppCustomer[],
  count: number,
  timeoutMs = 30_000,
): Promise<ReceivedReport[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = cs.flatMap((c) => c.reports);
    if (all.length >= count) return all;
    if (Date.now() > deadline) throw new Error(`${all.length} of ${count} MOs arrived\n${system.outputs()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The octets a node-smpp customer got: its UDH and its text encoded back in the PDU's coding. */
function octetsOf(pdu: smpp.PDU): Buffer {
  const sm = pdu['short_message'] as { udh?: Buffer[]; message: string | Buffer };
  const coding = (pdu['data_coding'] as number) & 0x0f;
  const encodings = (smpp as unknown as { encodings: Record<string, { encode(s: string): Buffer }> })
    .encodings;
  const name = coding === 8 ? 'UCS2' : coding === 3 ? 'LATIN1' : 'ASCII';
  const text =
    typeof sm.message === 'string' ? (encodings[name]?.encode(sm.message) ?? Buffer.alloc(0)) : sm.message;
  return text;
}

interface SentMo {
  readonly from: string;
  readonly to: string;
  readonly dataCoding: number;
  readonly esmClass: number;
  readonly octets: Buffer;
}

const udhPart = (ref: number, total: number, seq: number): Buffer => Buffer.from([5, 0, 3, ref, total, seq]);

it('MOs in every coding reach the owner on two edges exactly once, byte-exact; an unowned number is refused', async () => {
  const a = await customer(0, 'mo-owner', 'bind_receiver');
  const b = await customer(1, 'mo-owner', 'bind_transceiver');
  const other = await customer(1, 'mo-other', 'bind_receiver');
  const mos: SentMo[] = [
    {
      from: '4510000001',
      to: '4599990001',
      dataCoding: 0,
      esmClass: 0,
      octets: Buffer.from('Hello from handset 1'),
    },
    {
      from: '4510000002',
      to: '4599990002',
      dataCoding: 8,
      esmClass: 0,
      octets: Buffer.from('\u0000H\u0000e\u0000j\u0000 ', 'latin1'),
    },
    {
      from: '4510000003',
      to: '1234',
      dataCoding: 3,
      esmClass: 0,
      octets: Buffer.from('Grüße, café à Zürich', 'latin1'),
    },
    ...[1, 2, 3].map((seq) => ({
      from: `451000001${seq}`,
      to: '4599990042',
      dataCoding: 0,
      esmClass: 0x40,
      octets: Buffer.concat([udhPart(0x7b, 3, seq), Buffer.from(`part ${seq} of three`)]),
    })),
  ];
  // UCS-2 with an emoji (a surrogate pair): "Hej 😀".
  const ucs2 = mos[1];
  if (ucs2 !== undefined)
    mos[1] = { ...ucs2, octets: Buffer.from([0, 0x48, 0, 0x65, 0, 0x6a, 0, 0x20, 0xd8, 0x3d, 0xde, 0x00]) };

  for (const mo of mos) {
    const status = await smsc.sendMo({
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: mo.from,
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: mo.to,
      esm_class: mo.esmClass,
      data_coding: mo.dataCoding,
      short_message: mo.octets,
    });
    expect(status).toBe(0);
  }
  const unowned = await smsc.sendMo({
    source_addr: '4510000099',
    destination_addr: '4511111111',
    short_message: Buffer.from('x'),
  });
  expect(unowned).toBe(0x0b); // ESME_RINVDSTADR, the configured answer

  const got = await received([a, b], mos.length);
  // Time for a duplicate to show up, if there were one.
  await new Promise((r) => setTimeout(r, 1_500));
  const all = [a, b].flatMap((c) => c.reports);
  expect(all).toHaveLength(mos.length);
  expect(got.length).toBe(mos.length);
  expect(other.reports).toHaveLength(0);
  // Spread over both edges' sessions (the dispatcher balances by credit), each MO once.
  for (const mo of mos) {
    const matches = all.filter((r) => r.pdu['source_addr'] === mo.from);
    expect(matches).toHaveLength(1);
    const pdu = matches[0]?.pdu as smpp.PDU;
    expect(pdu['destination_addr']).toBe(mo.to);
    expect(pdu['source_addr_ton']).toBe(1);
    expect(pdu['data_coding']).toBe(mo.dataCoding);
    expect(pdu['esm_class']).toBe(mo.esmClass);
    expect(pdu['receipted_message_id']).toBeUndefined();
    const sm = pdu['short_message'] as { udh?: Buffer[]; message: string | Buffer };
    const body = mo.esmClass === 0x40 ? mo.octets.subarray(6) : mo.octets;
    expect(octetsOf(pdu).toString('hex')).toBe(body.toString('hex'));
    if (mo.esmClass === 0x40) {
      // node-smpp splits the UDH into its information elements: IEI 0, length 3, ref, total, seq.
      expect(Buffer.concat(sm.udh ?? []).toString('hex')).toBe(mo.octets.subarray(1, 6).toString('hex'));
    }
  }
  const metrics = (await system.connector.process.admin('/metrics')).body;
  expect(metrics).toMatch(/smsgw_connector_mo_total\{[^}]*outcome="stored"[^}]*\} 6/);
  expect(metrics).toMatch(/smsgw_connector_mo_total\{[^}]*outcome="unowned"[^}]*\} 1/);
}, 120_000);

it('MOs wait while the account has no receiver and arrive on bind', async () => {
  await Promise.all(customers.splice(0).map((c) => c.close()));
  const count = 20;
  for (let i = 0; i < count; i++) {
    const status = await smsc.sendMo({
      source_addr: `45200000${String(i).padStart(2, '0')}`,
      destination_addr: '4599990500',
      data_coding: 0,
      short_message: Buffer.from(`kept ${i}`),
    });
    expect(status).toBe(0);
  }
  await new Promise((r) => setTimeout(r, 1_000));
  const late = await customer(1, 'mo-owner', 'bind_receiver');
  const got = await received([late], count);
  await new Promise((r) => setTimeout(r, 1_000));
  expect(late.reports).toHaveLength(count);
  expect(new Set(got.map((r) => r.pdu['source_addr'])).size).toBe(count);
  expect(got.map((r) => r.text).sort()).toEqual(Array.from({ length: count }, (_, i) => `kept ${i}`).sort());

  const bench = Number(process.env['BENCH_MO_MESSAGES'] ?? '0');
  if (bench > 0) {
    const window = 50;
    const startedAt = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: window }, async () => {
        while (next < bench) {
          const i = next++;
          const status = await smsc.sendMo({
            source_addr: `4530${String(i).padStart(6, '0')}`,
            destination_addr: '4599990600',
            short_message: Buffer.from(`bench ${i}`),
          });
          if (status !== 0) throw new Error(`MO ${i} answered ${status}`);
        }
      }),
    );
    const stored = (performance.now() - startedAt) / 1000;
    await received([late], count + bench, 60_000 + bench * 10);
    const delivered = (performance.now() - startedAt) / 1000;
    process.stdout.write(
      `mo bench: ${bench} MOs through one connector: stored (deliver_sm_resp ESME_ROK) ${(bench / stored).toFixed(0)} MO/s; ` +
        `at the customer ${(bench / delivered).toFixed(0)} MO/s (${delivered.toFixed(2)} s)\n`,
    );
  }
}, 300_000);
