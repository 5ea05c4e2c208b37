/**
 * Type of Number (SMPP 3.4 §5.2.5). Common pairs: alphanumeric sender = TON 5 /
 * NPI 0; MSISDN = TON 1 / NPI 1, digits without '+'.
 */
export const Ton = {
  UNKNOWN: 0,
  INTERNATIONAL: 1,
  NATIONAL: 2,
  NETWORK_SPECIFIC: 3,
  SUBSCRIBER_NUMBER: 4,
  ALPHANUMERIC: 5,
  ABBREVIATED: 6,
} as const;

/** Numbering Plan Indicator (SMPP 3.4 §5.2.6). */
export const Npi = {
  UNKNOWN: 0,
  /** ISDN, E.163/E.164. */
  ISDN: 1,
  /** Data, X.121. */
  DATA: 3,
  /** Telex, F.69. */
  TELEX: 4,
  /** Land mobile, E.212. */
  LAND_MOBILE: 6,
  NATIONAL: 8,
  PRIVATE: 9,
  ERMES: 10,
  /** Internet (IP). */
  INTERNET: 14,
  WAP_CLIENT_ID: 18,
} as const;

/** The name of a TON value, e.g. `INTERNATIONAL`. */
export type TonName = keyof typeof Ton;

/** The name of an NPI value, e.g. `ISDN`. */
export type NpiName = keyof typeof Npi;

const tonNames = new Map<number, TonName>(Object.entries(Ton).map(([name, v]) => [v, name as TonName]));
const npiNames = new Map<number, NpiName>(Object.entries(Npi).map(([name, v]) => [v, name as NpiName]));

/** The name of a TON value, or undefined when the spec does not define it. */
export function tonNameOf(ton: number): TonName | undefined {
  return tonNames.get(ton);
}

/** The name of an NPI value, or undefined when the spec does not define it. */
export function npiNameOf(npi: number): NpiName | undefined {
  return npiNames.get(npi);
}
