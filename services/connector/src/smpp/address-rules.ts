/**
 * TON/NPI of the addresses sent upstream (CONNECTOR_SMPP_SOURCE_ADDR, CONNECTOR_SMPP_DEST_ADDR):
 * SMSCs differ in what they accept, so a connector can keep the customer's,
 * derive them from the address, or force a pair.
 */
import { Npi, Ton } from '@smsgw/smpp';
import type { AddressRule } from './smpp-settings.ts';

/** An SMPP address triple. */
export interface UpstreamAddress {
  readonly ton: number;
  readonly npi: number;
  readonly addr: string;
}

const DIGITS = /^\+?[0-9]+$/;

/** Digits from which a number counts as international under `auto` (shorter ones are short codes). */
const MIN_INTERNATIONAL_DIGITS = 7;

/**
 * `auto`: an alphanumeric sender is 5:0, a number with '+' or at least seven
 * digits 1:1 (international, '+' dropped), a shorter one a short code 3:0.
 */
function derived(addr: string): UpstreamAddress {
  if (!DIGITS.test(addr)) return { ton: Ton.ALPHANUMERIC, npi: Npi.UNKNOWN, addr };
  const digits = addr.startsWith('+') ? addr.slice(1) : addr;
  if (addr.startsWith('+') || digits.length >= MIN_INTERNATIONAL_DIGITS) {
    return { ton: Ton.INTERNATIONAL, npi: Npi.ISDN, addr: digits };
  }
  return { ton: Ton.NETWORK_SPECIFIC, npi: Npi.UNKNOWN, addr: digits };
}

/** The address to send, under `rule`. */
export function applyAddressRule(rule: AddressRule, address: UpstreamAddress): UpstreamAddress {
  if (rule === 'keep') return address;
  if (rule === 'auto') return derived(address.addr);
  const addr = address.addr.startsWith('+') ? address.addr.slice(1) : address.addr;
  return { ton: rule.ton, npi: rule.npi, addr };
}
