/**
 * The number plan in the numbers KV bucket (created by @smsgw/nats's
 * ensureTopology): one key, NUMBER_PLAN_KEY, holding every entry. Every write
 * is a compare-and-set on that key's last revision (create when absent), so
 * the one-owner check and the write are one atomic step: two admins claiming
 * overlapping numbers at once cannot both win; the loser reads again, finds
 * the number taken and gets NumberTakenError. One key rather than one per
 * number because a range and a number inside it would be two keys, which no
 * single compare-and-set covers. The limit that follows: a plan is one NATS
 * message (1 MiB by default, about 15,000 entries).
 */
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { BucketName, NUMBER_PLAN_KEY } from '@smsgw/nats';
import { isWrongLastSequence } from './account-store.ts';
import { AccountError, NumberPlanError } from './errors.ts';
import { NumberPlan, decodeNumberPlan, encodeNumberPlan, type NumberRange } from './number-plan.ts';

/** Write attempts before a write that keeps conflicting fails. */
const MAX_WRITE_ATTEMPTS = 10;

/** A plan with the KV revision it was read at (0: never written). */
export interface StoredNumberPlan {
  readonly plan: NumberPlan;
  readonly revision: number;
}

/** Reads and changes the number plan with compare-and-set. */
export class NumberStore {
  /** The bucket. */
  readonly kv: KV;

  /** Wraps an open numbers bucket (ensureTopology's kv.numbers). */
  constructor(kv: KV) {
    this.kv = kv;
  }

  /** Opens the numbers bucket on a connection; throws AccountError when it does not exist (ensureTopology makes it). */
  static async open(nc: NatsConnection): Promise<NumberStore> {
    const kv = await new Kvm(nc).open(BucketName.numbers, { bindOnly: true });
    try {
      await kv.status();
    } catch (err) {
      throw new AccountError(`the ${BucketName.numbers} bucket cannot be opened (was ensureTopology run?)`, {
        cause: err,
      });
    }
    return new NumberStore(kv);
  }

  /** The plan and its revision; an empty plan at revision 0 when none was ever written. */
  async read(): Promise<StoredNumberPlan> {
    const entry = await this.kv.get(NUMBER_PLAN_KEY);
    if (entry === null) return { plan: new NumberPlan(), revision: 0 };
    // A purged or deleted plan is empty; writes compare against the marker's revision.
    if (entry.operation !== 'PUT') return { plan: new NumberPlan(), revision: entry.revision };
    return { plan: decodeNumberPlan(entry.value), revision: entry.revision };
  }

  /** Adds numbers and ranges for an account; NumberTakenError when one overlaps an entry already there. */
  async add(systemId: string, ranges: readonly NumberRange[]): Promise<NumberPlan> {
    return this.change((plan) => plan.withAdded(systemId, ranges));
  }

  /** Removes entries exactly as listed (of `systemId`, when given); NumberPlanError for one that is not there. */
  async remove(ranges: readonly NumberRange[], systemId?: string): Promise<NumberPlan> {
    return this.change((plan) => plan.withRemoved(ranges, systemId));
  }

  /** Makes the account hold exactly these ranges; NumberTakenError when one overlaps another account's. */
  async setAccountNumbers(systemId: string, ranges: readonly NumberRange[]): Promise<NumberPlan> {
    return this.change((plan) => plan.withAccountNumbers(systemId, ranges));
  }

  /**
   * Reads the plan, computes the next one and writes it only if the key is
   * still at the revision read (create if it was never written); repeats on
   * a conflict. Nothing is written when the plan does not change.
   */
  async change(next: (plan: NumberPlan) => NumberPlan): Promise<NumberPlan> {
    for (let attempt = 1; ; attempt++) {
      const { plan, revision } = await this.read();
      const changed = next(plan);
      if (changed.equals(plan) && revision > 0) return changed;
      try {
        await this.kv.put(NUMBER_PLAN_KEY, encodeNumberPlan(changed), { previousSeq: revision });
        return changed;
      } catch (err) {
        if (!isWrongLastSequence(err)) throw err;
        if (attempt >= MAX_WRITE_ATTEMPTS) {
          throw new NumberPlanError(`the number plan kept changing during ${attempt} write attempts`, {
            cause: err,
          });
        }
      }
    }
  }
}
