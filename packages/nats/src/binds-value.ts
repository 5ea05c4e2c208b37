/**
 * The values of the binds and bind-failures buckets, written and read by the
 * edge pods (services/edge/README.md, "Limits across pods"): one schema for
 * every pod.
 *
 * - binds, `<account>.<pod>` (bindsKey) → `{"sessions":3,"submitters":2,"updatedAt":"<ISO 8601>"}`:
 *   the account's bound sessions on the pod, and how many of them may submit
 *   (transmitters and transceivers). Deleted with the pod's last session of the account.
 * - bind-failures, `a.<address>` / `s.<system_id>` (bindFailureKey) →
 *   `{"failures":4,"lastAt":1733380000000,"until":1733380004000}`: failed binds
 *   counted so far, when the last one was, and when its back-off ends (ms since the epoch).
 * - unsettled-submits, `<message id>` (unsettledSubmitKey) →
 *   `{"systemId":"acme","fingerprint":"…","subject":"sms.submit.acme","stored":false}`: a submit
 *   answered ESME_RMSGQFUL after a publish of unknown outcome, for a retry on another pod.
 */
import { z } from 'zod';
import { TopologyError } from './errors.ts';

/** An account's sessions on one edge pod. */
export const bindsValueSchema = z.object({
  /** Bound sessions of any bind type. */
  sessions: z.number().int().min(0),
  /** Of those, transmitters and transceivers: the sessions the account's submit rate is shared by. */
  submitters: z.number().int().min(0),
  /** When the owner last wrote it (ISO 8601; informational). */
  updatedAt: z.string(),
});

/** A decoded binds value. */
export type BindsValue = z.infer<typeof bindsValueSchema>;

/** A failed-bind record of an address or a system_id. */
export const bindFailureValueSchema = z.object({
  /** Failures counted within the back-off window. */
  failures: z.number().int().min(1),
  /** When the last failure was (ms since the epoch). */
  lastAt: z.number().int().min(0),
  /** When its back-off ends (ms since the epoch). */
  until: z.number().int().min(0),
});

/** A decoded bind-failures value. */
export type BindFailureValue = z.infer<typeof bindFailureValueSchema>;

function decode<T>(schema: z.ZodType<T>, what: string, key: string, value: Uint8Array | string): T {
  const text = typeof value === 'string' ? value : new TextDecoder().decode(value);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TopologyError(`${what} value of ${JSON.stringify(key)} is not JSON`, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new TopologyError(`${what} value of ${JSON.stringify(key)} is invalid: ${parsed.error.message}`);
  }
  return parsed.data;
}

/** The JSON text of a binds value. */
export function encodeBindsValue(value: BindsValue): string {
  return JSON.stringify(bindsValueSchema.parse(value));
}

/** The binds value behind a key; throws TopologyError for a malformed one. */
export function decodeBindsValue(key: string, value: Uint8Array | string): BindsValue {
  return decode(bindsValueSchema, 'binds', key, value);
}

/** The JSON text of a bind-failures value. */
export function encodeBindFailureValue(value: BindFailureValue): string {
  return JSON.stringify(bindFailureValueSchema.parse(value));
}

/** The bind-failures value behind a key; throws TopologyError for a malformed one. */
export function decodeBindFailureValue(key: string, value: Uint8Array | string): BindFailureValue {
  return decode(bindFailureValueSchema, 'bind-failures', key, value);
}

/** What the unsettled-submits bucket keeps of a submit of unknown outcome (the key is its message id). */
const unsettledSubmitValueSchema = z.object({
  /** The account that submitted it. */
  systemId: z.string().min(1),
  /** The submit's fingerprint (the edge's submit-fingerprint.ts). */
  fingerprint: z.string().min(1),
  /** The subject it was published on: a retry goes to the same stream. */
  subject: z.string().min(1),
  /** A late PubAck said it is stored. */
  stored: z.boolean(),
});

/** An unsettled-submits value. */
export type UnsettledSubmitValue = z.infer<typeof unsettledSubmitValueSchema>;

/** The JSON text of an unsettled-submits value. */
export function encodeUnsettledSubmitValue(value: UnsettledSubmitValue): string {
  return JSON.stringify(unsettledSubmitValueSchema.parse(value));
}

/** The unsettled-submits value behind a key; throws TopologyError for a malformed one. */
export function decodeUnsettledSubmitValue(key: string, value: Uint8Array | string): UnsettledSubmitValue {
  return decode(unsettledSubmitValueSchema, 'unsettled-submits', key, value);
}
