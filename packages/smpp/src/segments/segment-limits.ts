/**
 * How much of a message fits in one SMS (docs/smpp-reference.md §6.3). TP-UD holds 140
 * octets; a concatenation UDH takes 6 octets with an 8-bit reference and 7 with
 * a 16-bit one, and GSM-7 packs 8 septets into 7 octets, hence 160/153/152
 * septets, 140/134/133 octets and 70/67/66 UTF-16 code units.
 */
import type { Alphabet } from '../constants/data-coding.ts';

/** Width of the concatenation reference: 8-bit (IEI 0x00) or 16-bit (IEI 0x08). */
export type RefBits = 8 | 16;

/** Most parts a concatenated message can have (the UDH total field is one octet). */
export const MAX_PARTS = 255;

/** Octets of TP-UD in one SMS. */
export const USER_DATA_OCTETS = 140;

/** Length of a concatenation UDH including the UDHL octet. */
export function concatUdhLength(refBits: RefBits): number {
  return refBits === 8 ? 6 : 7;
}

/** What counts against the limits: septets (GSM-7, one per octet unpacked), octets, or UTF-16 code units. */
export type SegmentUnit = 'septet' | 'octet' | 'codeUnit';

/** Capacity of one SMS in units: alone (`single`) and as part of a concatenated message (`perPart`). */
export interface SegmentLimits {
  readonly unit: SegmentUnit;
  readonly single: number;
  readonly perPart: number;
}

function octetsToUnits(alphabet: Alphabet, octets: number): number {
  if (alphabet === 'gsm7') return Math.floor((octets * 8) / 7);
  if (alphabet === 'ucs2') return Math.floor(octets / 2);
  return octets;
}

/** The limits for an alphabet and concatenation reference width. */
export function segmentLimits(alphabet: Alphabet, refBits: RefBits = 8): SegmentLimits {
  return {
    unit: alphabet === 'gsm7' ? 'septet' : alphabet === 'ucs2' ? 'codeUnit' : 'octet',
    single: octetsToUnits(alphabet, USER_DATA_OCTETS),
    perPart: octetsToUnits(alphabet, USER_DATA_OCTETS - concatUdhLength(refBits)),
  };
}
