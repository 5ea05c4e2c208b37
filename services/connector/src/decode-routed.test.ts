import { create, toBinary } from '@bufbuild/protobuf';
import { RoutedMessageSchema } from '@smsgw/proto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRoutedMessage } from './decode-routed.ts';
import { MalformedRoutedMessageError } from './errors.ts';

const encode = (init: Parameters<typeof create<typeof RoutedMessageSchema>>[1]): Uint8Array =>
  toBinary(RoutedMessageSchema, create(RoutedMessageSchema, init));

describe('decodeRoutedMessage', () => {
  it('decodes a routed message with its submit', () => {
    const routed = decodeRoutedMessage(
      encode({ submit: { messageId: '42', systemId: 'acme' }, priorityFlag: 2, connector: 'sim' }),
    );
    expect(routed.submit.messageId).toBe('42');
    expect(routed.priorityFlag).toBe(2);
  });

  it.each([
    ['no submit', encode({ connector: 'sim' })],
    ['no message id', encode({ submit: { systemId: 'acme' } })],
    ['no account', encode({ submit: { messageId: '42' } })],
    ['not protobuf', new Uint8Array([0xff, 0xff, 0xff])],
  ])('refuses %s as malformed', (_, data) => {
    expect(() => decodeRoutedMessage(data)).toThrow(MalformedRoutedMessageError);
  });

  it('either decodes or throws MalformedRoutedMessageError, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (data) => {
        try {
          decodeRoutedMessage(data);
        } catch (err) {
          expect(err).toBeInstanceOf(MalformedRoutedMessageError);
        }
      }),
    );
  });
});
