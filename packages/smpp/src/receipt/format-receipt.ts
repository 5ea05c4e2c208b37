/**
 * Builds the one-line delivery receipt text (SMPP 3.4 Appendix B, as
 * GatewayAPI writes it and docs/architecture.md fixes it):
 * `id:<id> sub:001 dlvrd:000 submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:<STAT> err:<EEE> text:<20 chars>`.
 */
import { CommandStatus } from '../constants/command-status.ts';
import { receiptStatOf } from '../constants/message-state.ts';
import { PduEncodeError } from '../errors.ts';
import { errFieldOf } from './err-field.ts';
import { formatReceiptDate } from './receipt-date.ts';
import { receiptTextOf } from './receipt-text.ts';

/** What a receipt says about one message. */
export interface ReceiptFields {
  /** The message_id from submit_sm_resp: 1–64 printable ASCII characters, no spaces. */
  readonly id: string;
  /** Messages originally submitted, 0–999 (default 1). */
  readonly sub?: number;
  /** Messages delivered, 0–999 (default 0: GatewayAPI writes dlvrd:000 even on DELIVRD). */
  readonly dlvrd?: number;
  /** When the message was submitted; written in UTC, to the minute. */
  readonly submitDate: Date;
  /** When the message reached this state; written in UTC, to the minute. */
  readonly doneDate: Date;
  /** The message_state; written as its 7-character stat word (UNKNOWN outside 0..9). */
  readonly messageState: number;
  /** The internal error code; written as `errFieldOf(errorCode)` (default 0). */
  readonly errorCode?: number;
  /** Text whose first 20 characters go in `text:` (GatewayAPI: the user_message_reference); default ''. */
  readonly text?: string;
}

/** message_id is a C-Octet String of max 65 including the NUL (spec §5.2.23). */
const MAX_ID_LENGTH = 64;

function checkId(id: string): void {
  if (id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw new PduEncodeError(
      `receipt id must be 1–${MAX_ID_LENGTH} characters`,
      CommandStatus.ESME_RINVMSGID,
    );
  }
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    // A space or control character would end the id early for every receiver's parser.
    if (c <= 0x20 || c >= 0x7f) {
      throw new PduEncodeError(
        'receipt id must be printable ASCII without spaces',
        CommandStatus.ESME_RINVMSGID,
      );
    }
  }
}

function count3(value: number, field: string): string {
  if (!Number.isInteger(value) || value < 0 || value > 999) {
    throw new PduEncodeError(`receipt ${field} must be an integer 0–999, got ${value}`);
  }
  return String(value).padStart(3, '0');
}

/**
 * The receipt text for `fields`. Throws PduEncodeError for an id that is
 * empty, too long or not printable ASCII (ESME_RINVMSGID), a sub/dlvrd
 * outside 0–999 or an invalid Date (ESME_RINVPARLEN).
 */
export function formatReceipt(fields: ReceiptFields): string {
  checkId(fields.id);
  return (
    'id:' +
    fields.id +
    ' sub:' +
    count3(fields.sub ?? 1, 'sub') +
    ' dlvrd:' +
    count3(fields.dlvrd ?? 0, 'dlvrd') +
    ' submit date:' +
    formatReceiptDate(fields.submitDate) +
    ' done date:' +
    formatReceiptDate(fields.doneDate) +
    ' stat:' +
    receiptStatOf(fields.messageState) +
    ' err:' +
    errFieldOf(fields.errorCode ?? 0) +
    ' text:' +
    receiptTextOf(fields.text ?? '')
  );
}
