/** submitAcceptedOf's expires_at: absolute validity as is, relative counted from accepted_at. */
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { createPdu } from '@smsgw/smpp';
import { describe, expect, it } from 'vitest';
import { expiresAtOf, submitAcceptedOf, type SubmitOrigin } from './submit-message.ts';
import { validateSubmit } from './submit-validation.ts';

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
