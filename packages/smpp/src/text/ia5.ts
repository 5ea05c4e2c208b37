/**
 * data_coding 1 (IA5) read as 7-bit ASCII and carried on as GSM-7
 * (services/edge/README.md, "data_coding"): the npm `smpp` client sends ASCII
 * text under data_coding 1 unless told otherwise. Only bytes below 0x80 whose
 * character GSM 03.38 has (basic table or extension) are accepted; anything
 * else is ESME_RINVDCS, so nothing is ever guessed.
 */
import { CommandStatus } from '../constants/command-status.ts';
import { TextCodingError } from '../errors.ts';
import { encodeGsm7 } from './gsm7.ts';

/** The ASCII octets `bytes` as unpacked GSM-7 septets; TextCodingError (ESME_RINVDCS) for a byte ≥ 0x80 or a character GSM-7 lacks. */
export function ia5ToGsm7(bytes: Uint8Array): Uint8Array {
  for (let i = 0; i < bytes.length; i++) {
    if ((bytes[i] ?? 0) >= 0x80) {
      throw new TextCodingError(
        `data_coding 1 (IA5): byte 0x${(bytes[i] ?? 0).toString(16)} at ${i} is not 7-bit ASCII`,
        CommandStatus.ESME_RINVDCS,
      );
    }
  }
  return encodeGsm7(Buffer.from(bytes).toString('latin1'));
}
