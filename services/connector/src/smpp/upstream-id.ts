/**
 * Upstream message ids as the mapping's keys. SMSCs write the same id
 * differently in submit_sm_resp and in receipts (hex in the resp, decimal in
 * the text; upper or lower case; leading zeros), so every id is brought to
 * one canonical form before it becomes a key: that of submit_sm_resp.
 */
import type { IdBase } from './smpp-settings.ts';

const PATTERN: Readonly<Record<Exclude<IdBase, 'opaque'>, RegExp>> = {
  hex: /^[0-9a-f]+$/i,
  decimal: /^[0-9]+$/,
};

function valueOf(id: string, base: Exclude<IdBase, 'opaque'>): bigint | undefined {
  if (!PATTERN[base].test(id)) return undefined;
  return BigInt(base === 'hex' ? `0x${id}` : id);
}

function written(value: bigint, base: Exclude<IdBase, 'opaque'>): string {
  return value.toString(base === 'hex' ? 16 : 10);
}

/** An id as sent (C-string padding and blanks dropped), for logs and status events. */
export function trimUpstreamId(id: string): string {
  let end = id.length;
  while (end > 0 && id.charCodeAt(end - 1) <= 0x20) end--;
  let start = 0;
  while (start < end && id.charCodeAt(start) <= 0x20) start++;
  return id.slice(start, end);
}

/**
 * The canonical form of an id written in `base`: lower case, and for a hex or
 * decimal id its value without leading zeros. An id that is not a number of its
 * base stays as text (lower case).
 */
export function canonicalUpstreamId(id: string, base: IdBase): string {
  const trimmed = trimUpstreamId(id).toLowerCase();
  if (base === 'opaque') return trimmed;
  const value = valueOf(trimmed, base);
  return value === undefined ? trimmed : written(value, base);
}

/**
 * The keys a receipt text's id may have been stored under, most likely first:
 * the id converted from the receipt's base to the submit_sm_resp's, then the
 * id as written (an SMSC that uses the same base after all).
 */
export function receiptIdCandidates(id: string, receiptBase: IdBase, submitBase: IdBase): string[] {
  const trimmed = trimUpstreamId(id).toLowerCase();
  const candidates: string[] = [];
  if (receiptBase !== 'opaque' && submitBase !== 'opaque') {
    const value = valueOf(trimmed, receiptBase);
    if (value !== undefined) candidates.push(written(value, submitBase));
  }
  candidates.push(canonicalUpstreamId(trimmed, submitBase));
  return [...new Set(candidates)];
}
