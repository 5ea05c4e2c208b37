/**
 * validateSubmit's time-field rules, without sockets: schedule_delivery_time
 * is never accepted, validity_period must be a well-formed SMPP time.
 */
import { CommandStatus, createPdu, type PduInit } from '@smsgw/smpp';
import { describe, expect, it } from 'vitest';
import { validateSubmit, type SubmitVerdict } from './submit-validation.ts';

const S = CommandStatus;
const account = { messageClasses: ['standard'] };
const now = new Date('2024-01-31T12:00:00.000Z');

function verdictOf(init: PduInit<'submit_sm'>): SubmitVerdict {
  const pdu = createPdu('submit_sm', { destAddrTon: 1, shortMessage: Buffer.from('Hello'), ...init });
  return validateSubmit(pdu, account, now);
}

describe('schedule_delivery_time', () => {
  it.each(['000001000000000R', '201118105400004+', 'not a time at all'])(
    '%j → ESME_RINVSCHED (scheduling is not supported)',
    (scheduleDeliveryTime) => {
      expect(verdictOf({ scheduleDeliveryTime })).toMatchObject({
        ok: false,
        commandStatus: S.ESME_RINVSCHED,
      });
    },
  );
});

describe('validity_period', () => {
  it('empty is accepted with no validity', () => {
    const verdict = verdictOf({ validityPeriod: '' });
    expect(verdict.ok && verdict.submit.validity).toBeUndefined();
  });

  it('an absolute time is accepted as its instant', () => {
    const verdict = verdictOf({ validityPeriod: '241118105400004+' });
    expect(verdict.ok && verdict.submit.validity).toEqual({
      kind: 'absolute',
      date: new Date('2024-11-18T09:54:00.000Z'),
    });
  });

  it('a relative time is accepted with its duration', () => {
    const verdict = verdictOf({ validityPeriod: '000001000000000R' });
    expect(verdict.ok && verdict.submit.validity).toEqual({
      kind: 'relative',
      date: new Date('2024-02-01T12:00:00.000Z'),
      duration: { years: 0, months: 0, days: 1, hours: 0, minutes: 0, seconds: 0 },
    });
  });

  it.each([
    ['month 13', '241318105400004+'],
    ['hour 24', '241118245400004+'],
    ['nn 49', '241118105400049+'],
    ['bad p', '241118105400004*'],
    ['relative with nn', '000001000000004R'],
    ['a non-digit', '24111810540000x+'],
    ['short', '0000010000000R'],
  ])('%s (%j) → ESME_RINVEXPIRY', (_name, validityPeriod) => {
    expect(verdictOf({ validityPeriod })).toMatchObject({ ok: false, commandStatus: S.ESME_RINVEXPIRY });
  });

  it('is checked after schedule_delivery_time and before dest_addr_ton', () => {
    const bad = { validityPeriod: '241318105400004+' };
    expect(verdictOf({ ...bad, scheduleDeliveryTime: '000001000000000R' })).toMatchObject({
      commandStatus: S.ESME_RINVSCHED,
    });
    expect(verdictOf({ ...bad, destAddrTon: 2 })).toMatchObject({ commandStatus: S.ESME_RINVEXPIRY });
  });
});
