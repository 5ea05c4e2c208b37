/**
 * The fuzzer's inputs: a corpus of valid PDUs of every kind a client can send
 * (encoded by @smsgw/smpp), and mutations of them — byte flips, random bytes,
 * truncated or extended bodies, another command_id or command_status, and
 * rarely a broken command_length (which ends the connection: framing is lost).
 * Seeded, so a run can be repeated.
 */
import { Buffer } from 'node:buffer';
import { createPdu, encodePdu, type Pdu } from '@smsgw/smpp';

/** A small seeded PRNG (mulberry32): reproducible runs, not security. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
}

const COMMAND_IDS = [
  0x00000001, 0x00000002, 0x00000003, 0x00000004, 0x00000005, 0x00000009, 0x00000015, 0x00000007, 0x80000000,
  0x80000004, 0x80000005, 0x80000015, 0x00000103, 0x00000021, 0x00000008, 0x00000102, 0xffffffff, 0x00000000,
];

function pdus(): Pdu[] {
  const submit = (init: Parameters<typeof createPdu<'submit_sm'>>[1]): Pdu =>
    createPdu('submit_sm', {
      sourceAddr: 'fuzz',
      sourceAddrTon: 5,
      destAddrTon: 1,
      destAddrNpi: 1,
      destinationAddr: '4512345678',
      ...init,
    });
  return [
    submit({ shortMessage: Buffer.from('Hello') }),
    submit({ dataCoding: 8, shortMessage: Buffer.from('00480069', 'hex'), registeredDelivery: 1 }),
    submit({
      esmClass: 0x40,
      shortMessage: Buffer.concat([Buffer.from([5, 0, 3, 7, 2, 1]), Buffer.from('part one')]),
    }),
    submit({ shortMessage: new Uint8Array(0), tlvs: { messagePayload: Buffer.alloc(300, 0x41) } }),
    submit({ validityPeriod: '000001000000000R', priorityFlag: 2, shortMessage: Buffer.from('x') }),
    createPdu('enquire_link'),
    createPdu('bind_transceiver', { systemId: 'fuzz', password: 'secret' }),
    createPdu('query_sm', { messageId: '1', sourceAddr: 'fuzz' }),
    createPdu('data_sm', { destinationAddr: '4512345678' }),
    createPdu('deliver_sm_resp'),
    createPdu('generic_nack'),
  ].map((pdu, i) => {
    pdu.sequenceNumber = i + 1;
    return pdu;
  });
}

/** Encoded valid PDUs, the seeds of every mutation. */
export const CORPUS: readonly Uint8Array[] = pdus().map((pdu) => encodePdu(pdu));

/** How often a mutation breaks command_length (and so the connection). */
const FRAMING_RATE = 0.002;

/** A mutated PDU: a corpus entry changed in one to three ways. */
export function mutate(random: Random): Buffer {
  const seed = CORPUS[random.below(CORPUS.length)] ?? new Uint8Array(16);
  let bytes = Buffer.from(seed);
  const rounds = 1 + random.below(3);
  for (let round = 0; round < rounds; round++) {
    switch (random.below(7)) {
      case 0: // flip bits in the body
      case 1:
        if (bytes.length > 16) {
          const at = 16 + random.below(bytes.length - 16);
          bytes[at] = (bytes[at] ?? 0) ^ (1 << random.below(8));
        }
        break;
      case 2: // random bytes in the body
        for (let i = 16; i < bytes.length; i++) if (random.next() < 0.1) bytes[i] = random.below(256);
        break;
      case 3: // truncate or extend the body
        bytes =
          random.next() < 0.5
            ? bytes.subarray(0, 16 + random.below(Math.max(1, bytes.length - 15)))
            : Buffer.concat([
                bytes,
                Buffer.from(Array.from({ length: random.below(64) }, () => random.below(256))),
              ]);
        break;
      case 4: // another command_id
        bytes.writeUInt32BE(COMMAND_IDS[random.below(COMMAND_IDS.length)] ?? 0, 4);
        break;
      case 5: // a command_status on a request, or a random sequence_number
        if (random.next() < 0.5) bytes.writeUInt32BE(random.below(0x100), 8);
        else bytes.writeUInt32BE(random.below(0x100000000), 12);
        break;
      default: // NUL terminators removed: C-strings running into the next field
        for (let i = 16; i < bytes.length; i++) if (bytes[i] === 0 && random.next() < 0.5) bytes[i] = 0x41;
    }
  }
  bytes.writeUInt32BE(bytes.length, 0);
  if (random.next() < FRAMING_RATE) {
    bytes.writeUInt32BE(random.next() < 0.5 ? random.below(16) : 0x7fffffff - random.below(1000), 0);
  }
  return bytes;
}
