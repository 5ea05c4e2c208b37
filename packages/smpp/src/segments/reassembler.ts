/**
 * Reassembly of incoming concatenated messages. Pure: no timers, the caller
 * passes `now` (ms) with every call. Parts are grouped by the caller's key
 * (e.g. source + destination address), the reference and the total; they may
 * arrive in any order and repeats of a sequence number are ignored (the first
 * one wins). Memory is bounded by the number of pending messages, their
 * octets and their age; the oldest go first, and counters record what was lost.
 */
import { CommandStatus } from '../constants/command-status.ts';
import type { ConcatInfo } from './concat-info.ts';
import { concatProblem } from './concat-info.ts';
import { SegmentError } from './segment-error.ts';

/** Bounds of a Reassembler. */
export interface ReassemblerOptions {
  /** Most messages waiting for parts (default 10,000); a new one evicts the oldest. */
  readonly maxPending?: number;
  /** Most octets held across pending messages (default 16 MiB); the oldest go first. */
  readonly maxPendingOctets?: number;
  /** A message whose first part is this old (default 10 minutes) is dropped. */
  readonly maxAgeMs?: number;
}

/** One received part: the caller's grouping key, its concatenation info and its payload (UDH removed). */
export interface IncomingPart extends ConcatInfo {
  readonly key: string;
  readonly payload: Uint8Array;
}

/** Counters since construction, plus the current load. */
export interface ReassemblerStats {
  /** Messages waiting for parts. */
  readonly pending: number;
  /** Octets held by waiting messages. */
  readonly pendingOctets: number;
  /** Messages completed and returned. */
  readonly completed: number;
  /** Parts ignored because their sequence number had already arrived. */
  readonly duplicates: number;
  /** Messages dropped because they grew older than maxAgeMs. */
  readonly expired: number;
  /** Messages dropped to stay within maxPending or maxPendingOctets. */
  readonly evicted: number;
  /** Parts thrown away with expired or evicted messages. */
  readonly discardedParts: number;
}

interface Pending {
  readonly firstSeenAt: number;
  readonly parts: (Uint8Array | undefined)[];
  received: number;
  octets: number;
}

/** Collects the parts of concatenated messages and hands back each whole payload once complete. */
export class Reassembler {
  readonly #maxPending: number;
  readonly #maxPendingOctets: number;
  readonly #maxAgeMs: number;
  // Insertion order is arrival order of first parts, so the first entry is the oldest.
  readonly #pending = new Map<string, Pending>();
  #pendingOctets = 0;
  #completed = 0;
  #duplicates = 0;
  #expired = 0;
  #evicted = 0;
  #discardedParts = 0;

  constructor(options: ReassemblerOptions = {}) {
    this.#maxPending = options.maxPending ?? 10_000;
    this.#maxPendingOctets = options.maxPendingOctets ?? 16 * 1024 * 1024;
    this.#maxAgeMs = options.maxAgeMs ?? 10 * 60 * 1000;
    if (!(this.#maxPending >= 1 && this.#maxPendingOctets >= 0 && this.#maxAgeMs >= 0)) {
      throw new SegmentError(CommandStatus.ESME_RSYSERR, 'reassembler bounds must be positive');
    }
  }

  /**
   * Adds a part received at `now`. Returns the whole payload (the parts' payloads
   * joined in sequence order) when this part completes its message, else undefined.
   * A single-part message (total 1) is returned at once. The part's payload is
   * copied, so the caller may reuse its buffer. SegmentError (ESME_RINVOPTPARAMVAL)
   * when total, sequence or reference are out of range.
   */
  add(part: IncomingPart, now: number): Uint8Array | undefined {
    const problem = concatProblem(part, 0xffff);
    if (problem !== undefined)
      throw new SegmentError(CommandStatus.ESME_RINVOPTPARAMVAL, `invalid part: ${problem}`);
    this.sweep(now);
    if (part.total === 1) {
      this.#completed++;
      return part.payload.slice();
    }
    const id = `${part.key}\u0000${part.reference}\u0000${part.total}`;
    let entry = this.#pending.get(id);
    if (entry === undefined) {
      if (this.#pending.size >= this.#maxPending) this.#evictOldest();
      entry = {
        firstSeenAt: now,
        parts: new Array<Uint8Array | undefined>(part.total),
        received: 0,
        octets: 0,
      };
      this.#pending.set(id, entry);
    }
    const index = part.sequence - 1;
    if (entry.parts[index] !== undefined) {
      this.#duplicates++;
      return undefined;
    }
    entry.parts[index] = part.payload.slice();
    entry.received++;
    entry.octets += part.payload.length;
    this.#pendingOctets += part.payload.length;
    if (entry.received === part.total) {
      this.#remove(id, entry);
      this.#completed++;
      return join(entry.parts, entry.octets);
    }
    while (this.#pendingOctets > this.#maxPendingOctets && this.#pending.size > 0) this.#evictOldest();
    return undefined;
  }

  /** Drops messages whose first part arrived `maxAgeMs` or more before `now`; returns how many. */
  sweep(now: number): number {
    let dropped = 0;
    for (const [id, entry] of this.#pending) {
      // Entries are in arrival order; with a clock that never goes back the rest are younger.
      if (now - entry.firstSeenAt < this.#maxAgeMs) break;
      this.#drop(id, entry);
      this.#expired++;
      dropped++;
    }
    return dropped;
  }

  /** Current load and counters. */
  get stats(): ReassemblerStats {
    return {
      pending: this.#pending.size,
      pendingOctets: this.#pendingOctets,
      completed: this.#completed,
      duplicates: this.#duplicates,
      expired: this.#expired,
      evicted: this.#evicted,
      discardedParts: this.#discardedParts,
    };
  }

  #evictOldest(): void {
    const oldest = this.#pending.entries().next();
    if (oldest.done === true) return;
    const [id, entry] = oldest.value;
    this.#drop(id, entry);
    this.#evicted++;
  }

  #drop(id: string, entry: Pending): void {
    this.#remove(id, entry);
    this.#discardedParts += entry.received;
  }

  #remove(id: string, entry: Pending): void {
    this.#pending.delete(id);
    this.#pendingOctets -= entry.octets;
  }
}

function join(parts: readonly (Uint8Array | undefined)[], octets: number): Uint8Array {
  const out = new Uint8Array(octets);
  let offset = 0;
  for (const part of parts) {
    if (part === undefined) continue;
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
