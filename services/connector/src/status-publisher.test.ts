import { timestampDate } from '@bufbuild/protobuf/wkt';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { create } from '@bufbuild/protobuf';
import { MessageEnvelopeSchema, MessageState, NetworkType } from '@smsgw/proto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shouldPublish, statusEventMsgId, statusEventOf, type StatusTarget } from './status-publisher.ts';

const target: StatusTarget = {
  envelope: create(MessageEnvelopeSchema, {
    messageId: '1390125333',
    systemId: 'acme',
    registeredDelivery: 0x01,
    destination: { ton: 1, npi: 1, addr: '4512345670' },
  }),
  trace: ROOT_CONTEXT,
};

describe('statusEventOf', () => {
  it('fills every field of a final status', () => {
    const doneAt = new Date('2026-01-02T03:04:05.678Z');
    const event = statusEventOf(
      target,
      {
        messageState: MessageState.UNDELIVERABLE,
        errorCode: 0x1013,
        networkError: { type: NetworkType.GSM, code: 6 },
      },
      'sim',
      doneAt,
    );
    expect(event).toMatchObject({
      messageId: '1390125333',
      systemId: 'acme',
      messageState: MessageState.UNDELIVERABLE,
      errorCode: 0x1013,
      networkError: { type: NetworkType.GSM, code: 6 },
      connector: 'sim',
      upstreamMessageId: '',
      intermediate: false,
    });
    expect(event.doneAt && timestampDate(event.doneAt)).toEqual(doneAt);
    // The envelope travels with the event: the dispatcher builds the DLR from it.
    expect(event.envelope).toEqual(target.envelope);
  });

  it('marks ENROUTE as intermediate and leaves the network error unset', () => {
    const event = statusEventOf(target, { messageState: MessageState.ENROUTE }, 'sim', new Date());
    expect(event.intermediate).toBe(true);
    expect(event.errorCode).toBe(0);
    expect(event.networkError).toBeUndefined();
  });
});

describe('shouldPublish', () => {
  const finals = [
    MessageState.DELIVERED,
    MessageState.EXPIRED,
    MessageState.DELETED,
    MessageState.UNDELIVERABLE,
    MessageState.ACCEPTED,
    MessageState.REJECTED,
    MessageState.SKIPPED,
  ];

  it('always forwards final states, whatever receipt was asked for (the dispatcher decides)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xff }), fc.constantFrom(...finals), (rd, state) => {
        expect(shouldPublish(rd, state)).toBe(true);
      }),
    );
  });

  it('forwards ENROUTE only when bit 4 (0x10) asks for intermediate notifications', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xff }), (rd) => {
        expect(shouldPublish(rd, MessageState.ENROUTE)).toBe((rd & 0x10) !== 0);
      }),
    );
    expect(shouldPublish(0x02, MessageState.ENROUTE)).toBe(false);
    expect(shouldPublish(0x12, MessageState.ENROUTE)).toBe(true);
  });
});

describe('statusEventMsgId', () => {
  it('is the message id and the state number', () => {
    expect(statusEventMsgId('1390125333', MessageState.DELIVERED)).toBe('1390125333:2');
    expect(statusEventMsgId('1390125333', MessageState.ENROUTE)).toBe('1390125333:1');
  });
});
