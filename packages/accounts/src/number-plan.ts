/**
 * The number plan: which account owns which numbers (long numbers, short
 * codes, ranges of either), so that a mobile-originated message reaches the
 * account owning its destination (docs/architecture.md, "An MO's life"). Pure:
 * parsing, the one-owner rule and lookups; number-store.ts keeps it in KV.
 *
 * A number is 1 to 20 digits as the network sends it in destination_addr (no
 * '+', no spaces); a range `<from>-<to>` is every number of the same length
 * between the two, inclusive. Two entries overlap when a number is in both;
 * no two entries of the plan overlap, so every number has at most one owner.
 */
import { z } from 'zod';
import { SystemIdSchema } from './account.ts';
import { NumberPlanError } from './errors.ts';

/** Digits of a number: what destination_addr holds for an MSISDN (TON 1, no '+') or a short code. */
const DIGITS = /^[0-9]{1,20}$/;

/** One entry: a single number (from === to) or a range of numbers of one length, owned by one account. */
export interface NumberEntry {
  /** The first number, digits. */
  readonly from: string;
  /** The last number, digits, as long as `from`. */
  readonly to: string;
  /** The owning account. */
  readonly systemId: string;
}

/** A number or range as written: `4512345678` or `4512340000-4512349999`. */
export interface NumberRange {
  readonly from: string;
  readonly to: string;
}

/** The stored shape (JSON in the numbers bucket, key NUMBER_PLAN_KEY). */
const EntrySchema = z.strictObject({
  from: z.string().regex(DIGITS),
  to: z.string().regex(DIGITS),
  systemId: SystemIdSchema,
});

const PlanSchema = z.strictObject({ version: z.literal(1), entries: z.array(EntrySchema) });

/** Parses `4512345678` or `4512340000-4512349999`; throws NumberPlanError for anything else. */
export function parseNumberRange(text: string): NumberRange {
  const [from = '', to = from, ...rest] = text.trim().split('-');
  if (rest.length > 0 || !DIGITS.test(from) || !DIGITS.test(to)) {
    throw new NumberPlanError(
      `${JSON.stringify(text)} is not a number (1-20 digits, no '+') or a range <from>-<to>`,
    );
  }
  if (from.length !== to.length) {
    throw new NumberPlanError(`range ${text}: both ends must have the same number of digits`);
  }
  if (from > to) throw new NumberPlanError(`range ${text}: the first number is above the last`);
  return { from, to };
}

/** `4512345678`, or `4512340000-4512349999` for a range. */
export function formatNumberRange(range: NumberRange): string {
  return range.from === range.to ? range.from : `${range.from}-${range.to}`;
}

/** Whether two ranges share a number (same length, intervals intersect; digits of one length compare as strings). */
export function rangesOverlap(a: NumberRange, b: NumberRange): boolean {
  return a.from.length === b.from.length && a.from <= b.to && b.from <= a.to;
}

/** Whether two ranges are the same numbers. */
function sameRange(a: NumberRange, b: NumberRange): boolean {
  return a.from === b.from && a.to === b.to;
}

/** The digits of a destination_addr the plan can own: a leading '+' dropped; undefined for anything but digits. */
export function numberOfAddress(addr: string): string | undefined {
  const digits = addr.startsWith('+') ? addr.slice(1) : addr;
  return DIGITS.test(digits) ? digits : undefined;
}

/** Entries sorted by length, then first number: what lookups binary-search. */
function sorted(entries: readonly NumberEntry[]): NumberEntry[] {
  return [...entries].sort((a, b) =>
    a.from.length !== b.from.length
      ? a.from.length - b.from.length
      : a.from < b.from
        ? -1
        : a.from > b.from
          ? 1
          : 0,
  );
}

/** An immutable plan: entries that never overlap. */
export class NumberPlan {
  /** Sorted by length, then `from`. */
  readonly entries: readonly NumberEntry[];

  /** A plan of these entries; throws NumberPlanError when two overlap. */
  constructor(entries: readonly NumberEntry[] = []) {
    const ordered = sorted(entries);
    for (let i = 1; i < ordered.length; i++) {
      const before = ordered[i - 1];
      const entry = ordered[i];
      if (before !== undefined && entry !== undefined && rangesOverlap(before, entry)) {
        throw new NumberPlanError(
          `${formatNumberRange(entry)} (${entry.systemId}) overlaps ${formatNumberRange(before)} (${before.systemId})`,
        );
      }
    }
    this.entries = ordered;
  }

  /** The entry holding this number, or undefined (binary search: lookups stay cheap with many entries). */
  entryOf(number: string): NumberEntry | undefined {
    let low = 0;
    let high = this.entries.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const entry = this.entries[mid];
      if (entry === undefined) return undefined;
      const cmp =
        number.length !== entry.from.length
          ? number.length - entry.from.length
          : number < entry.from
            ? -1
            : number > entry.to
              ? 1
              : 0;
      if (cmp === 0) return entry;
      if (cmp < 0) high = mid - 1;
      else low = mid + 1;
    }
    return undefined;
  }

  /** The account owning the number in a destination_addr, or undefined (nobody, or not a number). */
  ownerOf(addr: string): string | undefined {
    const number = numberOfAddress(addr);
    return number === undefined ? undefined : this.entryOf(number)?.systemId;
  }

  /** The entries of one account. */
  entriesOf(systemId: string): NumberEntry[] {
    return this.entries.filter((e) => e.systemId === systemId);
  }

  /**
   * This plan with the ranges added for the account. A range the account
   * already holds exactly is kept as it is; one that overlaps any other entry
   * (another account's, or a different range of the same account) throws
   * NumberTakenError: one owner per number.
   */
  withAdded(systemId: string, ranges: readonly NumberRange[]): NumberPlan {
    const entries = [...this.entries];
    for (const range of ranges) {
      const clash = entries.find((e) => rangesOverlap(e, range));
      if (clash !== undefined && clash.systemId === systemId && sameRange(clash, range)) continue;
      if (clash !== undefined) throw new NumberTakenError(range, clash);
      entries.push({ ...range, systemId });
    }
    return new NumberPlan(entries);
  }

  /** This plan without these exact entries; throws NumberPlanError for a range that is not an entry (of `systemId`, when given). */
  withRemoved(ranges: readonly NumberRange[], systemId?: string): NumberPlan {
    let entries = [...this.entries];
    for (const range of ranges) {
      const entry = entries.find((e) => sameRange(e, range));
      if (entry === undefined || (systemId !== undefined && entry.systemId !== systemId)) {
        throw new NumberPlanError(
          `${formatNumberRange(range)} is not in the plan${systemId === undefined ? '' : ` for ${systemId}`}` +
            ' (remove entries exactly as listed)',
        );
      }
      entries = entries.filter((e) => e !== entry);
    }
    return new NumberPlan(entries);
  }

  /** This plan with the account holding exactly these ranges (apply's declarative form). */
  withAccountNumbers(systemId: string, ranges: readonly NumberRange[]): NumberPlan {
    return new NumberPlan(this.entries.filter((e) => e.systemId !== systemId)).withAdded(systemId, ranges);
  }

  /** This plan without any entry of the account. */
  withoutAccount(systemId: string): NumberPlan {
    return new NumberPlan(this.entries.filter((e) => e.systemId !== systemId));
  }

  /** Whether two plans hold the same entries. */
  equals(other: NumberPlan): boolean {
    return (
      this.entries.length === other.entries.length &&
      this.entries.every((e, i) => {
        const o = other.entries[i];
        return o !== undefined && sameRange(e, o) && e.systemId === o.systemId;
      })
    );
  }
}

/** A range someone already owns (or that overlaps an entry). */
export class NumberTakenError extends NumberPlanError {
  /** The range asked for. */
  readonly range: NumberRange;
  /** The entry it overlaps. */
  readonly owner: NumberEntry;

  constructor(range: NumberRange, owner: NumberEntry) {
    super(
      `${formatNumberRange(range)} overlaps ${formatNumberRange(owner)}, owned by ${owner.systemId}: one owner per number`,
    );
    this.name = 'NumberTakenError';
    this.range = range;
    this.owner = owner;
  }
}

/** The JSON stored under NUMBER_PLAN_KEY. */
export function encodeNumberPlan(plan: NumberPlan): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ version: 1, entries: plan.entries }));
}

/** Reads a stored plan; throws NumberPlanError for a value that is not one (bad JSON, unknown version, overlapping entries). */
export function decodeNumberPlan(data: Uint8Array): NumberPlan {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(data));
  } catch (err) {
    throw new NumberPlanError('the stored number plan is not JSON', { cause: err });
  }
  const parsed = PlanSchema.safeParse(json);
  if (!parsed.success)
    throw new NumberPlanError(`the stored number plan is invalid: ${parsed.error.message}`);
  for (const e of parsed.data.entries) parseNumberRange(formatNumberRange(e));
  return new NumberPlan(parsed.data.entries);
}
