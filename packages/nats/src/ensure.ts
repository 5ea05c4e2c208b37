import {
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumerInfo,
  type JetStreamManager,
  type StreamInfo,
} from '@nats-io/jetstream';
import { TopologyError } from './errors.ts';
import type { ConsumerSpec, StreamSpec } from './topology.ts';

/**
 * Idempotent, race-safe create-or-update of streams and durable consumers.
 *
 * Read first; create when missing; when the create fails (another service
 * created it a moment earlier, with the same config, which the server accepts,
 * or a different one, which it refuses), read again and reconcile. Reconcile
 * means: compare only the fields the spec sets with what the server has and
 * send an update only when one differs, so that an unchanged topology costs one
 * read per object and no Raft proposal. Two services with different specs (a
 * rolling upgrade) converge on whichever updated last; the next start of the
 * other one updates again, so keep specs compatible across one upgrade.
 *
 * With `{ update: false }` an existing object is left exactly as it is: that
 * is how a service creates what it does not own (see TopologyOwnership) without
 * overwriting its owner's settings.
 */

/** How ensureStream and ensureConsumer treat an object that already exists. */
export interface EnsureMode {
  /** Reconcile an existing object to the spec (default true); false = create when missing, otherwise leave it. */
  readonly update?: boolean;
  /** When updating, reconcile only these fields of the spec (default: every field it sets). */
  readonly only?: readonly string[];
  /** When updating, leave these fields of an existing object as they are (a missing object is created with them). */
  readonly keep?: readonly string[];
}

/** The fields of a spec an update may reconcile under `mode`. */
function reconciled<S extends object>(spec: S, mode: EnsureMode): Partial<S> {
  return Object.fromEntries(
    Object.entries(spec).filter(
      ([key]) => (mode.only === undefined || mode.only.includes(key)) && !(mode.keep ?? []).includes(key),
    ),
  ) as Partial<S>;
}

/** Whether a stored value equals the wanted one; absent counts as the type's zero, as the server omits empty fields. */
function sameValue(actual: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted)) {
    const list: unknown[] = Array.isArray(actual) ? actual : [];
    return list.length === wanted.length && wanted.every((w, i) => sameValue(list[i], w));
  }
  if (actual === undefined) return wanted === false || wanted === 0 || wanted === '';
  return actual === wanted;
}

/** The fields of `wanted` whose values differ in `actual`. */
export function differingFields(actual: object, wanted: object): string[] {
  const have = actual as Record<string, unknown>;
  return Object.entries(wanted)
    .filter(([key, value]) => value !== undefined && !sameValue(have[key], value))
    .map(([key]) => key);
}

function isApiError(err: unknown, code: number): boolean {
  return err instanceof JetStreamApiError && err.code === code;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (err) {
    if (isApiError(err, JetStreamApiCodes.StreamNotFound)) return undefined;
    throw err;
  }
}

async function consumerInfo(
  jsm: JetStreamManager,
  stream: string,
  name: string,
): Promise<ConsumerInfo | undefined> {
  try {
    return await jsm.consumers.info(stream, name);
  } catch (err) {
    if (isApiError(err, JetStreamApiCodes.ConsumerNotFound)) return undefined;
    throw err;
  }
}

async function reconcileStream(
  jsm: JetStreamManager,
  info: StreamInfo,
  spec: StreamSpec,
  mode: EnsureMode,
): Promise<StreamInfo> {
  const wanted = reconciled(spec, mode);
  const fields = differingFields(info.config, wanted);
  if (fields.length === 0) return info;
  try {
    // The client merges the fields sent over the stream's current configuration.
    return await jsm.streams.update(spec.name, { ...wanted });
  } catch (err) {
    throw new TopologyError(`stream ${spec.name}: cannot update ${fields.join(', ')}: ${describe(err)}`, {
      cause: err,
    });
  }
}

/** Creates the stream, or updates it where it differs from the spec (unless `update: false`); returns what the server now has. */
export async function ensureStream(
  jsm: JetStreamManager,
  spec: StreamSpec,
  mode: EnsureMode = {},
): Promise<StreamInfo> {
  const update = mode.update ?? true;
  const existing = await streamInfo(jsm, spec.name);
  if (existing !== undefined) return update ? reconcileStream(jsm, existing, spec, mode) : existing;
  try {
    // A copy: the client writes into the config it is given.
    return await jsm.streams.add({ ...spec });
  } catch (err) {
    const raced = await streamInfo(jsm, spec.name);
    if (raced === undefined) {
      throw new TopologyError(`stream ${spec.name}: cannot create: ${describe(err)}`, { cause: err });
    }
    return update ? reconcileStream(jsm, raced, spec, mode) : raced;
  }
}

async function reconcileConsumer(
  jsm: JetStreamManager,
  stream: string,
  info: ConsumerInfo,
  spec: ConsumerSpec,
): Promise<ConsumerInfo> {
  const fields = differingFields(info.config, spec);
  if (fields.length === 0) return info;
  try {
    return await jsm.consumers.update(stream, spec.durable_name, { ...spec });
  } catch (err) {
    throw new TopologyError(
      `consumer ${stream}/${spec.durable_name}: cannot update ${fields.join(', ')}: ${describe(err)}`,
      { cause: err },
    );
  }
}

/** Creates the durable consumer on the stream, or updates it where it differs from the spec (unless `update: false`). */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  spec: ConsumerSpec,
  { update = true }: EnsureMode = {},
): Promise<ConsumerInfo> {
  const existing = await consumerInfo(jsm, stream, spec.durable_name);
  if (existing !== undefined) return update ? reconcileConsumer(jsm, stream, existing, spec) : existing;
  try {
    return await jsm.consumers.add(stream, { ...spec });
  } catch (err) {
    const raced = await consumerInfo(jsm, stream, spec.durable_name);
    if (raced === undefined) {
      throw new TopologyError(`consumer ${stream}/${spec.durable_name}: cannot create: ${describe(err)}`, {
        cause: err,
      });
    }
    return update ? reconcileConsumer(jsm, stream, raced, spec) : raced;
  }
}
