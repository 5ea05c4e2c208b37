/**
 * Reads delivery receipt text from any MC, tolerantly (3.4 Appendix B is only
 * a "typical example"; see docs/smpp-reference.md §5 for the variants):
 * - labels in any case (`Text:`, `STAT:`), `submit_date` or extra spaces
 *   between words, spaces before and after the colon;
 * - fields in any order, missing (Jasmin omits sub/dlvrd/text), or unknown
 *   (skipped); the first occurrence of a label wins;
 * - dates of 10, 12 (ksmppd) or 14 digits, read as UTC;
 * - ids kept as opaque strings (decimal or hex, never converted);
 * - stat words mapped to message_state, variants included.
 * `text:` takes everything after it to the end, so it must come last; labels
 * inside the text are part of it. Trailing NULs (C-string padding) are ignored.
 */
import { messageStateOfStat } from '../constants/message-state.ts';
import type { MessageStateValue } from '../constants/message-state.ts';
import { parseReceiptDate } from './receipt-date.ts';

/** What a receipt text said. A field is absent when the receipt lacked it or its value was unreadable. */
export interface ParsedReceipt {
  /** The message id, as sent. */
  id?: string;
  sub?: number;
  dlvrd?: number;
  /** UTC. */
  submitDate?: Date;
  /** UTC. */
  doneDate?: Date;
  /** The stat word, as sent (e.g. `DELIVRD`, `delivered`). */
  stat?: string;
  /** The message_state the stat word means; absent for an unknown word. */
  messageState?: MessageStateValue;
  /** The err field, as sent (usually 3 digits, MC-specific). */
  err?: string;
  /** Everything after `text:`, as sent. */
  text?: string;
}

type Label = 'id' | 'sub' | 'dlvrd' | 'submitDate' | 'doneDate' | 'stat' | 'err' | 'text';

/** A label at the current position: name, optional blanks, colon. Sticky, so it only matches where asked. */
const LABEL = /(submit[ _]*date|done[ _]*date|dlvrd|stat|text|sub|err|id)[ \t]*:/iy;

function labelOf(word: string): Label {
  const w = word.toLowerCase();
  if (w.startsWith('submit')) return 'submitDate';
  if (w.startsWith('done')) return 'doneDate';
  return w as Label;
}

/** Separators are space and every control character (tab, CR, LF, NUL…). */
function isBlank(code: number): boolean {
  return code <= 0x20;
}

function skipBlanks(s: string, pos: number): number {
  while (pos < s.length && isBlank(s.charCodeAt(pos))) pos++;
  return pos;
}

function tokenEnd(s: string, pos: number): number {
  while (pos < s.length && !isBlank(s.charCodeAt(pos))) pos++;
  return pos;
}

function labelAt(s: string, pos: number): RegExpExecArray | null {
  LABEL.lastIndex = pos;
  return LABEL.exec(s);
}

const COUNT = /^\d{1,9}$/;

function countOf(value: string | undefined): number | undefined {
  return value !== undefined && COUNT.test(value) ? Number(value) : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The fields of a receipt text, or undefined when it names neither an id nor
 * a stat (then it is not a receipt). Never throws.
 */
export function parseReceipt(text: string): ParsedReceipt | undefined {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--;
  const s = end === text.length ? text : text.slice(0, end);

  const found = new Map<Label, string>();
  let pos = skipBlanks(s, 0);
  while (pos < s.length) {
    const match = labelAt(s, pos);
    if (match === null) {
      // Not a label we know: skip the word.
      pos = skipBlanks(s, tokenEnd(s, pos));
      continue;
    }
    const label = labelOf(match[1] ?? '');
    pos = LABEL.lastIndex;
    if (label === 'text') {
      found.set('text', s.slice(pos));
      break;
    }
    let start = pos;
    if (start < s.length && isBlank(s.charCodeAt(start))) {
      // `sub: 001` has its value after blanks, but in `sub: dlvrd:001` the next word is the next label.
      start = skipBlanks(s, start);
      if (start >= s.length || labelAt(s, start) !== null) {
        if (!found.has(label)) found.set(label, '');
        pos = start;
        continue;
      }
    }
    pos = tokenEnd(s, start);
    if (!found.has(label)) found.set(label, s.slice(start, pos));
    pos = skipBlanks(s, pos);
  }

  const id = nonEmpty(found.get('id'));
  const stat = nonEmpty(found.get('stat'));
  if (id === undefined && stat === undefined) return undefined;

  const receipt: ParsedReceipt = {};
  if (id !== undefined) receipt.id = id;
  const sub = countOf(found.get('sub'));
  if (sub !== undefined) receipt.sub = sub;
  const dlvrd = countOf(found.get('dlvrd'));
  if (dlvrd !== undefined) receipt.dlvrd = dlvrd;
  const submitDate = parseReceiptDate(found.get('submitDate') ?? '');
  if (submitDate !== undefined) receipt.submitDate = submitDate;
  const doneDate = parseReceiptDate(found.get('doneDate') ?? '');
  if (doneDate !== undefined) receipt.doneDate = doneDate;
  if (stat !== undefined) {
    receipt.stat = stat;
    const messageState = messageStateOfStat(stat);
    if (messageState !== undefined) receipt.messageState = messageState;
  }
  const err = nonEmpty(found.get('err'));
  if (err !== undefined) receipt.err = err;
  const textField = found.get('text');
  if (textField !== undefined) receipt.text = textField;
  return receipt;
}
