/**
 * Message ids: Snowflake-style 63-bit integers written in decimal (at most 19
 * digits, GatewayAPI style), unique across pods and restarts:
 *
 *   41 bits milliseconds since ID_EPOCH_MS | 10 bits node id | 12 bits sequence
 *
 * 41 bits of milliseconds last ~69 years from 2025; 12 bits give 4,096 ids per
 * millisecond per node. Uniqueness needs a node id no other live pod holds
 * (node-id-lease.ts) and a clock that never repeats a millisecond: when the
 * wall clock goes backwards the generator stays on the last millisecond it
 * used (and moves past it when that millisecond's sequence is spent), so ids
 * keep growing within one process. Across a restart the node id is new unless
 * the old lease had expired, at least 2/3 of the lease TTL after the old
 * process's last id; only a wall-clock step backwards larger than that could
 * then repeat an id.
 */

/** 2025-01-01T00:00:00Z: the zero of the id's timestamp. */
export const ID_EPOCH_MS = Date.UTC(2025, 0, 1);
/** Node ids are 0..MAX_NODE_ID. */
export const MAX_NODE_ID = 1023;
/** Highest sequence number within one millisecond. */
export const MAX_SEQUENCE = 4095;
const NODE_SHIFT = 12n;
const TIME_SHIFT = 22n;

/** The parts of a message id. */
export interface MessageIdParts {
  /** Unix time in ms the id was made at (after clock-backwards holding, so possibly slightly ahead). */
  readonly timestampMs: number;
  readonly nodeId: number;
  readonly sequence: number;
}

/** Options of a MessageIdGenerator. */
export interface MessageIdGeneratorOptions {
  /** The wall clock in Unix ms (default Date.now); tests inject one that goes backwards. */
  readonly now?: () => number;
}

/** Makes unique message ids for one node id. Not shared across processes. */
export class MessageIdGenerator {
  /** The node id baked into every id. */
  readonly nodeId: number;
  readonly #now: () => number;
  readonly #nodeBits: bigint;
  #lastMs = -1;
  #sequence = 0;

  /** A generator for `nodeId` (0..1023); throws RangeError otherwise. */
  constructor(nodeId: number, options: MessageIdGeneratorOptions = {}) {
    if (!Number.isInteger(nodeId) || nodeId < 0 || nodeId > MAX_NODE_ID) {
      throw new RangeError(`node id must be an integer 0..${MAX_NODE_ID}, got ${nodeId}`);
    }
    this.nodeId = nodeId;
    this.#now = options.now ?? Date.now;
    this.#nodeBits = BigInt(nodeId) << NODE_SHIFT;
  }

  /** The next id, in decimal. */
  next(): string {
    const ms = Math.floor(this.#now()) - ID_EPOCH_MS;
    if (ms > this.#lastMs) {
      this.#lastMs = ms;
      this.#sequence = 0;
    } else if (this.#sequence < MAX_SEQUENCE) {
      // Same millisecond, or the clock went backwards: stay on the last millisecond used.
      this.#sequence++;
    } else {
      // This millisecond is spent: borrow the next one rather than wait.
      this.#lastMs++;
      this.#sequence = 0;
    }
    if (this.#lastMs < 0) throw new RangeError('the clock is before the message id epoch (2025-01-01)');
    return ((BigInt(this.#lastMs) << TIME_SHIFT) | this.#nodeBits | BigInt(this.#sequence)).toString();
  }
}

/** Splits a message id into its parts; throws RangeError for a string that is not one. */
export function parseMessageId(id: string): MessageIdParts {
  if (!/^\d{1,19}$/.test(id)) throw new RangeError(`not a message id: ${JSON.stringify(id)}`);
  const value = BigInt(id);
  if (value >= 1n << 63n) throw new RangeError(`message id out of range: ${id}`);
  return {
    timestampMs: Number(value >> TIME_SHIFT) + ID_EPOCH_MS,
    nodeId: Number((value >> NODE_SHIFT) & 1023n),
    sequence: Number(value & 4095n),
  };
}
