import { create, toBinary } from '@bufbuild/protobuf';
import { AddressSchema, SubmitAcceptedSchema } from '@smsgw/proto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSubmit } from './decode-submit.ts';
import { PoisonSubmitError } from './errors.ts';
import { makeSubmit } from './router.test-support.ts';

describe('decodeSubmit', () => {
  it('returns the SubmitAccepted an edge published', () => {
    const submit = makeSubmit('1390125333', { priorityFlag: 3, messageClass: 'premium' });
    expect(decodeSubmit(toBinary(SubmitAcceptedSchema, submit))).toEqual(submit);
  });

  it('refuses bytes that are not protobuf as poison', () => {
    // Field 31 with wire type 7: no such wire type.
    expect(() => decodeSubmit(Uint8Array.of(0xff, 0xff, 0xff))).toThrow(PoisonSubmitError);
    expect(() => decodeSubmit(new TextEncoder().encode('{"messageId":"1"}'))).toThrow(PoisonSubmitError);
  });

  it.each([
    ['no message_id', { messageId: '' }],
    ['no system_id', { systemId: '' }],
    ['no destination', { destination: undefined }],
    ['an empty destination address', { destination: create(AddressSchema, { ton: 1, npi: 1, addr: '' }) }],
  ])('refuses a submit with %s as poison', (_, overrides) => {
    const bytes = toBinary(SubmitAcceptedSchema, makeSubmit('1', overrides));
    expect(() => decodeSubmit(bytes)).toThrow(PoisonSubmitError);
  });

  it('an empty message decodes but is poison (no message_id)', () => {
    expect(() => decodeSubmit(new Uint8Array(0))).toThrow(/no message_id/);
  });

  it('never throws anything but PoisonSubmitError, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeSubmit(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(PoisonSubmitError);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
