import fc from 'fast-check';
import { MessageState, NetworkType } from '@smsgw/proto';
import { errFieldOf } from '@smsgw/smpp';
import { describe, expect, it } from 'vitest';
import { SimStatus, simOutcomeOf } from './sim-outcome.ts';

describe('simOutcomeOf', () => {
  it.each([
    ['4512345670', SimStatus.delivered],
    ['4512345671', SimStatus.delivered],
    ['4512345672', SimStatus.delivered],
    ['4512345673', SimStatus.delivered],
    ['4512345674', SimStatus.delivered],
    ['4512345675', SimStatus.delivered],
    ['4512345676', SimStatus.absentSubscriber],
    ['4512345677', SimStatus.expired],
    ['4512345678', SimStatus.destinationBlocked],
    ['4512345609', SimStatus.unknownSubscriber],
    ['9', SimStatus.unknownSubscriber],
    ['ExampleCo', SimStatus.invalidDestination],
    ['', SimStatus.invalidDestination],
    ['+45 1234-5678 ', SimStatus.destinationBlocked],
  ])('answers %j with its final status', (destination, status) => {
    expect(simOutcomeOf(destination)).toEqual({ answer: 'final', status });
  });

  it.each(['4512345699', '99', '+45 12 34 56 9-9', '9a9'])('never answers %j', (destination) => {
    expect(simOutcomeOf(destination)).toEqual({ answer: 'none' });
  });

  it('gives the documented codes', () => {
    expect(SimStatus.delivered).toEqual({ messageState: MessageState.DELIVERED, errorCode: 0 });
    expect(SimStatus.absentSubscriber).toEqual({
      messageState: MessageState.UNDELIVERABLE,
      errorCode: 0x1013,
      networkError: { type: NetworkType.GSM, code: 6 },
    });
    expect(SimStatus.expired).toEqual({ messageState: MessageState.EXPIRED, errorCode: 0x1022 });
    expect(SimStatus.destinationBlocked).toEqual({ messageState: MessageState.REJECTED, errorCode: 0x1034 });
    expect(SimStatus.unknownSubscriber).toEqual({
      messageState: MessageState.UNDELIVERABLE,
      errorCode: 0x1010,
      networkError: { type: NetworkType.GSM, code: 1 },
    });
    expect(SimStatus.invalidDestination).toEqual({ messageState: MessageState.REJECTED, errorCode: 0x1060 });
  });

  it('gives the receipt err fields the README documents', () => {
    expect(
      Object.fromEntries(
        Object.entries(SimStatus).map(([name, status]) => [name, errFieldOf(status.errorCode)]),
      ),
    ).toEqual({
      delivered: '000',
      absentSubscriber: '019',
      expired: '034',
      destinationBlocked: '052',
      unknownSubscriber: '016',
      invalidDestination: '096',
    });
  });

  it('depends only on the last two digits, whatever surrounds them', () => {
    const noDigits = fc.string().map((s) => s.replace(/[0-9]/g, ''));
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]*$/),
        noDigits,
        noDigits,
        fc.integer({ min: 0, max: 99 }),
        (prefix, a, b, tail) => {
          const two = String(tail).padStart(2, '0');
          const bare = simOutcomeOf(`${prefix}${two}`);
          expect(simOutcomeOf(`${prefix}${a}${two[0] ?? ''}${b}${two[1] ?? ''}${a}`)).toEqual(bare);
          expect(simOutcomeOf(`7${two}`)).toEqual(bare);
        },
      ),
    );
  });
});
