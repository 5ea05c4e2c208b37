import { create, equals, fromBinary, toBinary, ScalarType } from '@bufbuild/protobuf';
import type { DescField, DescMessage, Message } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import {
  AddressSchema,
  ConcatenationScheme,
  CreditSchema,
  DeliverOutcome,
  DeliverRequestSchema,
  DeliverResponseSchema,
  DeliveryReportSchema,
  MessageEnvelopeSchema,
  MessageState,
  NetworkType,
  RoutedMessageSchema,
  StatusEventSchema,
  SubmitAcceptedSchema,
  file_smsgw_v1_address,
  file_smsgw_v1_delivery_report,
  file_smsgw_v1_edge_delivery,
  file_smsgw_v1_message_envelope,
  file_smsgw_v1_network_error,
  file_smsgw_v1_routed_message,
  file_smsgw_v1_status_event,
  file_smsgw_v1_submit_accepted,
} from './index.ts';

const acceptedAt = timestampFromDate(new Date('2020-11-18T10:54:00.250Z'));
const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const submit = create(SubmitAcceptedSchema, {
  messageId: '1390125333',
  systemId: 'acme',
  edgePod: 'smsgw-edge-7d9f-x2k4q',
  sessionId: 's-42',
  source: { ton: 5, npi: 0, addr: 'ExampleCo' },
  destination: { ton: 1, npi: 1, addr: '4512345678' },
  esmClass: 0x40,
  protocolId: 0,
  priorityFlag: 3,
  validityPeriod: '000001000000000R',
  expiresAt: timestampFromDate(new Date('2020-11-19T10:54:00.250Z')),
  registeredDelivery: 0x11,
  dataCoding: 8,
  payload: Uint8Array.from([0x05, 0x00, 0x03, 0x2a, 0x02, 0x01, 0x00, 0x48, 0x00, 0x69]),
  concatenation: { scheme: ConcatenationScheme.UDH_8BIT, reference: 0x2a, total: 2, seq: 1 },
  userMessageReference: new TextEncoder().encode('order-4711'),
  messageClass: 'premium',
  flash: false,
  segments: 1,
  acceptedAt,
  traceparent,
  tracestate: 'vendor=abc',
});

const report = create(DeliveryReportSchema, {
  reportId: '1390125333:2',
  systemId: 'acme',
  messageId: '1390125333',
  source: { ton: 1, npi: 1, addr: '4512345678' },
  destination: { ton: 5, npi: 0, addr: 'ExampleCo' },
  esmClass: 0x04,
  dataCoding: 0,
  shortMessage: new TextEncoder().encode(
    'id:1390125333 sub:001 dlvrd:000 submit date:2011181054 done date:2011181055 stat:DELIVRD err:000 text:order-4711',
  ),
  receiptedMessageId: '1390125333',
  messageState: MessageState.DELIVERED,
  networkError: { type: NetworkType.GSM, code: 0 },
  userMessageReference: new TextEncoder().encode('order-4711'),
  createdAt: acceptedAt,
  traceparent,
  tracestate: '',
});

// One fully populated example of every message: documents the shapes and pins the round trip.
const examples: readonly (readonly [DescMessage, Message])[] = [
  [AddressSchema, create(AddressSchema, { ton: 1, npi: 1, addr: '4512345678' })],
  [SubmitAcceptedSchema, submit],
  [
    RoutedMessageSchema,
    create(RoutedMessageSchema, {
      submit,
      priorityFlag: 2,
      connector: 'sim',
      routeId: 'acme-default',
      routedAt: acceptedAt,
    }),
  ],
  [
    StatusEventSchema,
    create(StatusEventSchema, {
      messageId: '1390125333',
      systemId: 'acme',
      messageState: MessageState.UNDELIVERABLE,
      errorCode: 0x1013,
      networkError: { type: NetworkType.GSM, code: 27 },
      doneAt: acceptedAt,
      connector: 'upstream-a',
      upstreamMessageId: '38601fa',
      intermediate: false,
    }),
  ],
  [
    MessageEnvelopeSchema,
    create(MessageEnvelopeSchema, {
      messageId: '1390125333',
      systemId: 'acme',
      source: { ton: 5, npi: 0, addr: 'ExampleCo' },
      destination: { ton: 1, npi: 1, addr: '4512345678' },
      registeredDelivery: 1,
      userMessageReference: new TextEncoder().encode('order-4711'),
      submittedAt: acceptedAt,
      dataCoding: 0,
      segments: 3,
      traceparent,
      tracestate: 'vendor=abc',
    }),
  ],
  [DeliveryReportSchema, report],
  [DeliverRequestSchema, create(DeliverRequestSchema, { deliveryId: 18_446_744_073_709_551_615n, report })],
  [
    DeliverResponseSchema,
    create(DeliverResponseSchema, {
      kind: {
        case: 'result',
        value: { deliveryId: 7n, outcome: DeliverOutcome.REJECTED, commandStatus: 0x45, sessionId: 's-42' },
      },
    }),
  ],
  [
    DeliverResponseSchema,
    create(DeliverResponseSchema, { kind: { case: 'credit', value: { systemId: 'acme', freeWindow: 10 } } }),
  ],
  [CreditSchema, create(CreditSchema, { systemId: 'acme', freeWindow: 0 })],
  [
    DeliverRequestSchema,
    create(DeliverRequestSchema, {
      batch: [
        { deliveryId: 1n, report },
        { deliveryId: 2n, report },
      ],
    }),
  ],
  [
    DeliverResponseSchema,
    create(DeliverResponseSchema, {
      kind: {
        case: 'batch',
        value: {
          results: [
            { deliveryId: 2n, outcome: DeliverOutcome.DELIVERED, sessionId: 's-1' },
            { deliveryId: 1n, outcome: DeliverOutcome.TIMEOUT, sessionId: 's-2' },
          ],
          credits: [{ systemId: 'acme', freeWindow: 3, lastDeliveryId: 2n }],
        },
      },
    }),
  ],
];

const allSchemas: readonly DescMessage[] = [
  file_smsgw_v1_address,
  file_smsgw_v1_delivery_report,
  file_smsgw_v1_edge_delivery,
  file_smsgw_v1_message_envelope,
  file_smsgw_v1_network_error,
  file_smsgw_v1_routed_message,
  file_smsgw_v1_status_event,
  file_smsgw_v1_submit_accepted,
].flatMap((file) => file.messages);

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('messages: binary round trip', () => {
  it.each(examples.map(([schema, message], i) => [`${schema.typeName} #${i}`, schema, message] as const))(
    '%s',
    (_name, schema, message) => {
      const bytes = toBinary(schema, message);
      const decoded = fromBinary(schema, bytes);
      expect(equals(schema, decoded, message)).toBe(true);
      expect(hex(toBinary(schema, decoded))).toBe(hex(bytes));
    },
  );

  it('has an example for every message of smsgw.v1', () => {
    const covered = new Set(examples.map(([schema]) => schema.typeName));
    const missing = allSchemas.map((schema) => schema.typeName).filter((name) => !covered.has(name));
    expect(missing.sort()).toEqual([
      'smsgw.v1.Concatenation', // inside SubmitAccepted
      'smsgw.v1.DeliverBatch', // inside DeliverResponse
      'smsgw.v1.DeliverResult', // inside DeliverResponse
      'smsgw.v1.NetworkError', // inside StatusEvent and DeliveryReport
    ]);
  });

  it('keeps the wire format: Address (fields 1, 2, 3)', () => {
    // 08 01 (ton=1) 10 01 (npi=1) 1a 0a "4512345678"
    const bytes = toBinary(AddressSchema, create(AddressSchema, { ton: 1, npi: 1, addr: '4512345678' }));
    expect(hex(bytes)).toBe('080110011a0a34353132333435363738');
  });

  it('keeps the wire format: DeliverResponse credit (oneof field 2)', () => {
    const message = create(DeliverResponseSchema, {
      kind: { case: 'credit', value: { systemId: 'a', freeWindow: 300 } },
    });
    // 12 06 (credit, 6 bytes) { 0a 01 "a" (system_id) 10 ac 02 (free_window=300) }
    expect(hex(toBinary(DeliverResponseSchema, message))).toBe('12060a016110ac02');
  });

  it('tells an absent user_message_reference from an empty one', () => {
    const absent = fromBinary(
      MessageEnvelopeSchema,
      toBinary(MessageEnvelopeSchema, create(MessageEnvelopeSchema)),
    );
    const empty = fromBinary(
      MessageEnvelopeSchema,
      toBinary(
        MessageEnvelopeSchema,
        create(MessageEnvelopeSchema, { userMessageReference: new Uint8Array(0) }),
      ),
    );
    expect(absent.userMessageReference).toBeUndefined();
    expect(empty.userMessageReference).toEqual(new Uint8Array(0));
  });

  it('mirrors SMPP message_state values (SMPP 3.4 §5.2.28)', () => {
    expect([
      MessageState.ENROUTE,
      MessageState.DELIVERED,
      MessageState.EXPIRED,
      MessageState.DELETED,
      MessageState.UNDELIVERABLE,
      MessageState.ACCEPTED,
      MessageState.UNKNOWN,
      MessageState.REJECTED,
      MessageState.SKIPPED,
    ]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

// A small seeded generator (mulberry32), so the property tests below are deterministic.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const alphabet = ['a', 'Z', '0', ' ', ':', '@', 'é', 'ß', 'Ж', '€', '😀', '\u0000', '\n'];

// A random message of any schema, walking its descriptor: every field set or left default at random,
// one case of each oneof at random, nested messages up to a depth.
function randomMessage(schema: DescMessage, next: () => number, depth = 0): Message {
  const int = (n: number): number => Math.floor(next() * n);
  const u64 = (): bigint => (BigInt(int(2 ** 32)) << 32n) | BigInt(int(2 ** 32));
  const scalar = (type: ScalarType, what: string): unknown => {
    switch (type) {
      case ScalarType.STRING:
        return Array.from({ length: int(30) }, () => alphabet[int(alphabet.length)]).join('');
      case ScalarType.BYTES:
        return Uint8Array.from({ length: int(200) }, () => int(256));
      case ScalarType.BOOL:
        return next() < 0.5;
      case ScalarType.UINT32:
        return int(2 ** 32);
      case ScalarType.INT32:
        return int(2 ** 32) | 0;
      case ScalarType.UINT64:
        return u64();
      case ScalarType.INT64:
        return BigInt.asIntN(64, u64());
      default:
        throw new Error(`randomMessage: add scalar type ${type} for ${what}`);
    }
  };
  const value = (field: DescField): unknown => {
    switch (field.fieldKind) {
      case 'scalar':
        return scalar(field.scalar, field.toString());
      case 'enum':
        // Known values and, now and then, an unknown one (proto3 enums are open).
        return next() < 0.9 ? field.enum.values[int(field.enum.values.length)]?.number : 1000 + int(1000);
      case 'message':
        return depth < 3 ? randomMessage(field.message, next, depth + 1) : create(field.message);
      case 'list':
        // Up to three elements, none below the depth limit.
        if (field.listKind === 'scalar') {
          const type = field.scalar;
          return Array.from({ length: int(4) }, () => scalar(type, field.toString()));
        }
        if (field.listKind !== 'message')
          throw new Error(`randomMessage: add ${field.listKind} lists for ${field.toString()}`);
        return depth < 3
          ? Array.from({ length: int(4) }, () => randomMessage(field.message, next, depth + 1))
          : [];
      default:
        throw new Error(`randomMessage: add ${field.fieldKind} fields for ${field.toString()}`);
    }
  };
  const init: Record<string, unknown> = {};
  for (const member of schema.members) {
    if (member.kind === 'oneof') {
      const field = member.fields[int(member.fields.length + 1)];
      if (field) init[member.localName] = { case: field.localName, value: value(field) };
    } else if (next() < 0.8) {
      init[member.localName] = value(member);
    }
  }
  return create(schema, init);
}

describe('messages: properties', () => {
  it.each(allSchemas.map((schema) => [schema.typeName, schema] as const))(
    'random %s messages survive toBinary/fromBinary',
    (_name, schema) => {
      const next = rng(0x5eed ^ schema.typeName.length);
      for (let i = 0; i < 200; i++) {
        const message = randomMessage(schema, next);
        const decoded = fromBinary(schema, toBinary(schema, message));
        expect(equals(schema, decoded, message)).toBe(true);
      }
    },
  );

  it.each(allSchemas.map((schema) => [schema.typeName, schema] as const))(
    'random bytes decode as %s or throw an Error, never anything worse',
    (_name, schema) => {
      const next = rng(0xbad ^ schema.typeName.length);
      let failures = 0;
      for (let i = 0; i < 500; i++) {
        const bytes = Uint8Array.from({ length: Math.floor(next() * 64) }, () => Math.floor(next() * 256));
        try {
          fromBinary(schema, bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          failures++;
        }
      }
      expect(failures).toBeGreaterThan(0);
    },
  );

  it('a truncated message throws', () => {
    const bytes = toBinary(SubmitAcceptedSchema, submit);
    for (let end = 1; end < bytes.length; end += 7) {
      const cut = bytes.subarray(0, end);
      // A cut may land on a field boundary and decode; otherwise it must be an Error.
      try {
        fromBinary(SubmitAcceptedSchema, cut);
      } catch (error) {
        expect(error).toBeInstanceOf(Error);
      }
    }
    expect(() => fromBinary(SubmitAcceptedSchema, bytes.subarray(0, bytes.length - 1))).toThrow(Error);
  });
});
