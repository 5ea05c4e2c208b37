/** --registered-delivery: names for the common registered_delivery values (SMPP 3.4 §5.2.17). */
import { RegisteredDelivery } from '@smsgw/smpp';
import { UsageError } from '../cli-error.ts';

/** The names --registered-delivery takes. */
export const REGISTERED_DELIVERY_NAMES = {
  none: RegisteredDelivery.NO_RECEIPT,
  final: RegisteredDelivery.RECEIPT_ON_FINAL,
  failure: RegisteredDelivery.RECEIPT_ON_FAILURE,
  /** A final receipt plus intermediate notifications (e.g. ENROUTE). */
  intermediate: RegisteredDelivery.RECEIPT_ON_FINAL | RegisteredDelivery.INTERMEDIATE_NOTIFICATION,
} as const;

/** Parses a name or a number 0..255. */
export function parseRegisteredDelivery(value: string): number {
  const named = (REGISTERED_DELIVERY_NAMES as Record<string, number>)[value];
  if (named !== undefined) return named;
  const n = /^(0x[0-9a-f]{1,2}|\d{1,3})$/i.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > 255) {
    throw new UsageError(
      `--registered-delivery must be one of ${Object.keys(REGISTERED_DELIVERY_NAMES).join(', ')} or 0..255, not ${value}`,
    );
  }
  return n;
}
