/**
 * Source and destination addresses with their TON/NPI: numbers (an optional
 * leading '+' is dropped) default to international/ISDN (1/1), anything else
 * to alphanumeric/unknown (5/0), as SMSCs expect (docs/smpp-reference.md §4, SMPP 3.4 §5.2.5).
 */
import { Npi, Ton } from '@smsgw/smpp';

/** An address triple as submit_sm carries it. */
export interface SmppAddress {
  readonly ton: number;
  readonly npi: number;
  readonly addr: string;
}

const NUMBER = /^\+?\d+$/;

/** The address for `value`, with explicit TON/NPI overriding the defaults. An empty value is 0/0 ''. */
export function addressOf(value: string, ton?: number, npi?: number): SmppAddress {
  if (value === '') return { ton: ton ?? Ton.UNKNOWN, npi: npi ?? Npi.UNKNOWN, addr: '' };
  if (NUMBER.test(value)) {
    return { ton: ton ?? Ton.INTERNATIONAL, npi: npi ?? Npi.ISDN, addr: value.replace(/^\+/, '') };
  }
  return { ton: ton ?? Ton.ALPHANUMERIC, npi: npi ?? Npi.UNKNOWN, addr: value };
}
