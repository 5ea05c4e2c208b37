/**
 * fast-check arbitraries for every PDU and TLV, for property tests here and in
 * other modules' tests. Test support only: never exported from the library.
 * Every generated PDU is valid (encodes without error) and round-trips through
 * decodePdu unchanged.
 */
import fc from 'fast-check';
import type { CommandName } from '../constants/command-id.ts';
import { TlvDefs, tlvKeyOf, type RawTlv, type TlvDef, type TlvKey, type Tlvs } from '../constants/tlv.ts';
import { CString, MAX_DESTINATIONS, MAX_SHORT_MESSAGE, TIME_LENGTH, type CStringField } from './fields.ts';
import type { MultiDestAddress, Pdu, PduByCommand, PduHeader, UnsuccessSme } from './types.ts';

/** Any 1-octet integer. */
export const u8 = fc.integer({ min: 0, max: 0xff });
/** Any 2-octet integer. */
export const u16 = fc.integer({ min: 0, max: 0xffff });
/** Any 4-octet integer. */
export const u32 = fc.integer({ min: 0, max: 0xffffffff });

/** One character a C-Octet String may hold (0x01–0x7F), biased to printable ones. */
const cChar = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x01, max: 0x7f }).map((c) => String.fromCharCode(c)) },
);

/** Text for a C-Octet String field of at most `max` octets including the NUL. */
export function cOctetText(max: number): fc.Arbitrary<string> {
  return fc.string({ unit: cChar, maxLength: max - 1 });
}

/** Text for a C-Octet String field. */
export function cField(field: CStringField): fc.Arbitrary<string> {
  return cOctetText(field.max);
}

/** Two digits. */
const twoDigits = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));

/** An SMPP time field: '' or 16 characters, mostly well-formed (the codec checks only the length). */
export const time = fc.oneof(
  fc.constant(''),
  fc
    .tuple(
      twoDigits(99),
      twoDigits(12),
      twoDigits(28),
      twoDigits(23),
      twoDigits(48),
      fc.constantFrom('+', '-', 'R'),
    )
    .map(([yy, mm, dd, hh, nn, p]) => `${yy}${mm}${dd}${hh}59300${nn}${p}`),
  fc.string({ unit: cChar, minLength: TIME_LENGTH, maxLength: TIME_LENGTH }),
);

/** A short_message of 0..255 octets. */
export const shortMessage = fc.uint8Array({ maxLength: MAX_SHORT_MESSAGE });

/** Largest octet-string TLV value generated (message_payload may be 64 KiB, but tests must be fast). */
const MAX_GENERATED_OCTETS = 300;

/** A value for a TLV definition. */
export function tlvValue(def: TlvDef): fc.Arbitrary<unknown> {
  switch (def.type) {
    case 'u8':
      return u8;
    case 'u16':
      return u16;
    case 'u32':
      return u32;
    case 'empty':
      return fc.constant(true);
    case 'networkErrorCode':
      return fc.record({ networkType: u8, errorCode: u16 });
    case 'cstring':
      return cOctetText(def.max);
    case 'octets':
      return fc.uint8Array({ minLength: def.min, maxLength: Math.min(def.max, MAX_GENERATED_OCTETS) });
  }
}

/** A TLV with a tag this library does not know. */
export const rawTlv: fc.Arbitrary<RawTlv> = fc.record({
  tag: u16.filter((tag) => tlvKeyOf(tag) === undefined),
  value: fc.uint8Array({ maxLength: 20 }),
});

const tlvKeys = Object.keys(TlvDefs) as TlvKey[];

/** A Tlvs object: some known TLVs in a random order, sometimes a few unknown ones. */
export function tlvs(maxKnown = 6): fc.Arbitrary<Tlvs> {
  return fc
    .tuple(fc.shuffledSubarray(tlvKeys, { maxLength: maxKnown }), fc.array(rawTlv, { maxLength: 2 }))
    .chain(([keys, unknown]) =>
      fc.tuple(...keys.map((key) => tlvValue(TlvDefs[key]))).map((values) => {
        const out: Record<string, unknown> = {};
        keys.forEach((key, i) => {
          out[key] = values[i];
        });
        if (unknown.length > 0) out['unknown'] = unknown;
        // Each value comes from tlvValue(TlvDefs[key]), the type Tlvs declares for that key.
        return out;
      }),
    );
}

/** A PDU of `command` with arbitrary header values and a body from `body`. */
function pdu<C extends CommandName, B extends object>(
  command: C,
  body: fc.Arbitrary<B>,
): fc.Arbitrary<PduHeader<C> & B> {
  return fc.tuple(u32, u32, body).map(([commandStatus, sequenceNumber, fields]) => ({
    command,
    commandStatus,
    sequenceNumber,
    ...fields,
  }));
}

const empty = fc.constant({});

const bindBody = fc.record({
  systemId: cField(CString.systemId),
  password: cField(CString.password),
  systemType: cField(CString.systemType),
  interfaceVersion: u8,
  addrTon: u8,
  addrNpi: u8,
  addressRange: cField(CString.addressRange),
});

const bindRespBody = fc.record({ systemId: cField(CString.systemId), tlvs: tlvs() });

const source = (addr: CStringField) =>
  fc.record({ sourceAddrTon: u8, sourceAddrNpi: u8, sourceAddr: cField(addr) });
const dest = (addr: CStringField) =>
  fc.record({ destAddrTon: u8, destAddrNpi: u8, destinationAddr: cField(addr) });

const messageBody = fc.record({
  esmClass: u8,
  protocolId: u8,
  priorityFlag: u8,
  scheduleDeliveryTime: time,
  validityPeriod: time,
  registeredDelivery: u8,
  replaceIfPresentFlag: u8,
  dataCoding: u8,
  smDefaultMsgId: u8,
  shortMessage,
  tlvs: tlvs(),
});

const smBody = fc
  .tuple(cField(CString.serviceType), source(CString.sourceAddr), dest(CString.destinationAddr), messageBody)
  .map(([serviceType, s, d, m]) => ({ serviceType, ...s, ...d, ...m }));

const multiDest: fc.Arbitrary<MultiDestAddress> = fc.oneof(
  fc.tuple(u8, u8, cField(CString.destinationAddr)).map(([destAddrTon, destAddrNpi, destinationAddr]) => ({
    destFlag: 1 as const,
    destAddrTon,
    destAddrNpi,
    destinationAddr,
  })),
  cField(CString.dlName).map((dlName) => ({ destFlag: 2 as const, dlName })),
);

const unsuccessSme: fc.Arbitrary<UnsuccessSme> = fc
  .tuple(dest(CString.destinationAddr), u32)
  .map(([d, errorStatusCode]) => ({ ...d, errorStatusCode }));

const messageId = fc.record({ messageId: cField(CString.messageId) });

/** An arbitrary for every command. Lists are kept short; their length limits have their own tests. */
export const pduArbitraries: { [C in CommandName]: fc.Arbitrary<PduByCommand[C]> } = {
  generic_nack: pdu('generic_nack', empty),
  bind_receiver: pdu('bind_receiver', bindBody),
  bind_receiver_resp: pdu('bind_receiver_resp', bindRespBody),
  bind_transmitter: pdu('bind_transmitter', bindBody),
  bind_transmitter_resp: pdu('bind_transmitter_resp', bindRespBody),
  query_sm: pdu(
    'query_sm',
    fc
      .tuple(cField(CString.messageId), source(CString.sourceAddr))
      .map(([id, s]) => ({ messageId: id, ...s })),
  ),
  query_sm_resp: pdu(
    'query_sm_resp',
    fc.record({ messageId: cField(CString.messageId), finalDate: time, messageState: u8, errorCode: u8 }),
  ),
  submit_sm: pdu('submit_sm', smBody),
  submit_sm_resp: pdu('submit_sm_resp', messageId),
  deliver_sm: pdu('deliver_sm', smBody),
  deliver_sm_resp: pdu('deliver_sm_resp', messageId),
  unbind: pdu('unbind', empty),
  unbind_resp: pdu('unbind_resp', empty),
  replace_sm: pdu(
    'replace_sm',
    fc
      .tuple(
        cField(CString.messageId),
        source(CString.sourceAddr),
        fc.record({
          scheduleDeliveryTime: time,
          validityPeriod: time,
          registeredDelivery: u8,
          smDefaultMsgId: u8,
          shortMessage,
        }),
      )
      .map(([id, s, rest]) => ({ messageId: id, ...s, ...rest })),
  ),
  replace_sm_resp: pdu('replace_sm_resp', empty),
  cancel_sm: pdu(
    'cancel_sm',
    fc
      .tuple(
        cField(CString.serviceType),
        cField(CString.messageId),
        source(CString.sourceAddr),
        dest(CString.destinationAddr),
      )
      .map(([serviceType, id, s, d]) => ({ serviceType, messageId: id, ...s, ...d })),
  ),
  cancel_sm_resp: pdu('cancel_sm_resp', empty),
  bind_transceiver: pdu('bind_transceiver', bindBody),
  bind_transceiver_resp: pdu('bind_transceiver_resp', bindRespBody),
  outbind: pdu(
    'outbind',
    fc.record({ systemId: cField(CString.systemId), password: cField(CString.password) }),
  ),
  enquire_link: pdu('enquire_link', empty),
  enquire_link_resp: pdu('enquire_link_resp', empty),
  submit_multi: pdu(
    'submit_multi',
    fc
      .tuple(
        cField(CString.serviceType),
        source(CString.sourceAddr),
        fc.array(multiDest, { maxLength: Math.min(MAX_DESTINATIONS, 5) }),
        messageBody,
      )
      .map(([serviceType, s, destAddresses, m]) => ({ serviceType, ...s, destAddresses, ...m })),
  ),
  submit_multi_resp: pdu(
    'submit_multi_resp',
    fc.record({
      messageId: cField(CString.messageId),
      unsuccessSmes: fc.array(unsuccessSme, { maxLength: 5 }),
    }),
  ),
  alert_notification: pdu(
    'alert_notification',
    fc
      .tuple(
        source(CString.sourceAddr65),
        fc.record({ esmeAddrTon: u8, esmeAddrNpi: u8, esmeAddr: cField(CString.esmeAddr), tlvs: tlvs() }),
      )
      .map(([s, rest]) => ({ ...s, ...rest })),
  ),
  data_sm: pdu(
    'data_sm',
    fc
      .tuple(
        cField(CString.serviceType),
        source(CString.sourceAddr65),
        dest(CString.destinationAddr65),
        fc.record({ esmClass: u8, registeredDelivery: u8, dataCoding: u8, tlvs: tlvs() }),
      )
      .map(([serviceType, s, d, rest]) => ({ serviceType, ...s, ...d, ...rest })),
  ),
  data_sm_resp: pdu('data_sm_resp', fc.record({ messageId: cField(CString.messageId), tlvs: tlvs() })),
};

/** Every command name, in CommandId order. */
export const commandNames = Object.keys(pduArbitraries) as CommandName[];

/** A PDU of any command. */
export const anyPdu: fc.Arbitrary<Pdu> = fc.oneof(
  ...commandNames.map((name) => pduArbitraries[name] as fc.Arbitrary<Pdu>),
);
