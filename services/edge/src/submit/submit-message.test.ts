/**
 * submitAcceptedOf's expires_at (absolute validity as is, relative counted
 * from accepted_at), and encodeSubmitAccepted held byte-equal to toBinary().
 */
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { TimestampSchema, timestampDate } from '@bufbuild/protobuf/wkt';
import { AddressSchema, ConcatenationSchema, ConcatenationScheme, SubmitAcceptedSchema } from '@smsgw/proto';
import { createPdu } from '@smsgw/smpp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeSubmitAccepted,
  expiresAtOf,
  SUBMIT_ACCEPTED_FIELDS,
  submitAcceptedOf,
  type SubmitOrigin,
} from './submit-message.ts';
import { validateSubmit, type AcceptedSubmit } from './submit-validation.ts';

const origin: SubmitOrigin = {
  messageId: '1',
  systemId: 'acme',
  pod: 'edge-0',
  sessionId: 's1',
  acceptedAtMs: Date.parse('2024-01-31T12:00:00.250Z'),
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
};

function expiresAtFor(validityPeriod: string): string | undefined {
  const pdu = createPdu('submit_sm', { destAddrTon: 1, shortMessage: Buffer.from('Hi'), validityPeriod });
  // Validated a few seconds before acceptance: a relative period still counts from accepted_at.
  const verdict = validateSubmit(pdu, { messageClasses: ['standard'] }, new Date(origin.acceptedAtMs - 5000));
  if (!verdict.ok) throw new Error(verdict.reason);
  const message = submitAcceptedOf(pdu, verdict.submit, origin);
  return message.expiresAt === undefined ? undefined : timestampDate(message.expiresAt).toISOString();
}

describe('expires_at', () => {
  it('is unset for an empty validity_period', () => {
    expect(expiresAtFor('')).toBeUndefined();
  });

  it('is the instant of an absolute validity_period', () => {
    expect(expiresAtFor('241118105412304+')).toBe('2024-11-18T09:54:12.300Z');
  });

  it('is accepted_at plus a relative validity_period', () => {
    expect(expiresAtFor('000001000000000R')).toBe('2024-02-01T12:00:00.250Z');
    expect(expiresAtFor('000000013000000R')).toBe('2024-01-31T13:30:00.250Z');
    // Calendar months: 31 January + 1 month is 29 February 2024.
    expect(expiresAtFor('000100000000000R')).toBe('2024-02-29T12:00:00.250Z');
  });

  it('expiresAtOf ignores accepted_at for an absolute time', () => {
    const date = new Date('2024-11-18T09:54:00.000Z');
    expect(expiresAtOf({ kind: 'absolute', date }, 0)).toBe(date);
  });
});

/** Any string: ASCII, Latin-1, any UTF-16 unit, surrogate pairs and lone surrogates (the encoder must not care). */
const anyString = (maxLength: number) =>
  fc.string({
    unit: fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      fc.constantFrom('é', '€', '😀', '\ud800', '\udfff', '\ud83d\ude00'),
    ),
    maxLength,
  });
const octet = fc.integer({ min: 0, max: 255 });
const uint16 = fc.integer({ min: 0, max: 0xffff });
const bytes = (maxLength: number) => fc.uint8Array({ maxLength });
const instant = fc.integer({ min: -2_208_988_800_000, max: 4_102_444_800_000 }); // 1900..2100

const pduArb = fc.record({
  sourceAddrTon: octet,
  sourceAddrNpi: octet,
  sourceAddr: anyString(21),
  destAddrNpi: octet,
  destinationAddr: anyString(21),
  esmClass: octet,
  protocolId: octet,
  priorityFlag: octet,
  validityPeriod: anyString(17),
  registeredDelivery: octet,
  dataCoding: octet,
});

const durationArb = fc.record({
  years: fc.integer({ min: 0, max: 99 }),
  months: fc.integer({ min: 0, max: 12 }),
  days: fc.integer({ min: 0, max: 31 }),
  hours: fc.integer({ min: 0, max: 23 }),
  minutes: fc.integer({ min: 0, max: 59 }),
  seconds: fc.integer({ min: 0, max: 59 }),
});

const acceptedArb: fc.Arbitrary<AcceptedSubmit> = fc.record({
  destAddrTon: octet,
  payload: bytes(300),
  dataCoding: octet,
  concatenation: fc.option(
    fc.record({
      scheme: fc.constantFrom(
        ConcatenationScheme.UNSPECIFIED,
        ConcatenationScheme.UDH_8BIT,
        ConcatenationScheme.UDH_16BIT,
        ConcatenationScheme.SAR,
      ),
      reference: uint16,
      total: octet,
      seq: octet,
    }),
    { nil: undefined },
  ),
  messageClass: fc.constant('standard'),
  messageClassRequested: fc.option(anyString(20), { nil: undefined }),
  flash: fc.boolean(),
  segments: fc.integer({ min: 0, max: 1_000 }),
  userMessageReference: fc.option(bytes(2), { nil: undefined }),
  validity: fc.option(
    fc.oneof(
      instant.map((ms) => ({ kind: 'absolute' as const, date: new Date(ms) })),
      durationArb.map((duration) => ({ kind: 'relative' as const, date: new Date(0), duration })),
    ),
    { nil: undefined },
  ),
});

const originArb: fc.Arbitrary<SubmitOrigin> = fc.record({
  messageId: fc.oneof(fc.stringMatching(/^\d{1,19}$/), fc.constant('')),
  systemId: anyString(16),
  pod: anyString(30),
  sessionId: anyString(8),
  acceptedAtMs: instant,
  traceparent: fc.oneof(fc.constant(origin.traceparent), anyString(60)),
});

describe('encodeSubmitAccepted', () => {
  it('writes exactly the bytes toBinary(submitAcceptedOf(…)) writes', () => {
    fc.assert(
      fc.property(pduArb, acceptedArb, originArb, (fields, accepted, o) => {
        const pdu = createPdu('submit_sm', fields);
        const expected = toBinary(SubmitAcceptedSchema, submitAcceptedOf(pdu, accepted, o));
        expect(Buffer.from(encodeSubmitAccepted(pdu, accepted, o)).toString('hex')).toBe(
          Buffer.from(expected).toString('hex'),
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('encodes a typical accepted submit that decodes back to submitAcceptedOf()', () => {
    const pdu = createPdu('submit_sm', {
      sourceAddr: 'smsgw',
      destAddrTon: 1,
      destAddrNpi: 1,
      destinationAddr: '4512345678',
      registeredDelivery: 1,
      shortMessage: Buffer.from('Hello'),
      validityPeriod: '000001000000000R',
    });
    const verdict = validateSubmit(pdu, { messageClasses: ['standard'] });
    if (!verdict.ok) throw new Error(verdict.reason);
    const decoded = fromBinary(SubmitAcceptedSchema, encodeSubmitAccepted(pdu, verdict.submit, origin));
    expect(decoded).toEqual(submitAcceptedOf(pdu, verdict.submit, origin));
  });

  it('knows every field of the schemas it writes (a new .proto field fails here until encoded)', () => {
    for (const schema of [SubmitAcceptedSchema, AddressSchema, ConcatenationSchema, TimestampSchema]) {
      const known: readonly number[] = SUBMIT_ACCEPTED_FIELDS[schema.typeName];
      expect(schema.fields.map((f) => f.number)).toEqual(known);
    }
  });

  it('refuses an instant that is not a time', () => {
    const pdu = createPdu('submit_sm', { destAddrTon: 1, shortMessage: Buffer.from('Hi') });
    const verdict = validateSubmit(pdu, { messageClasses: ['standard'] });
    if (!verdict.ok) throw new Error(verdict.reason);
    expect(() => encodeSubmitAccepted(pdu, verdict.submit, { ...origin, acceptedAtMs: Number.NaN })).toThrow(
      RangeError,
    );
  });
});
