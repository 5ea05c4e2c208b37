/**
 * Receives deliver_sm on a bound receiver/transceiver session: answers each
 * with deliver_sm_resp ESME_ROK, keeps delivery receipts by message id, and
 * lets `send --wait-dlr` wait until every id it cares about has a final one.
 * Receipts for other ids (an earlier run's backlog) are acknowledged too, as
 * any client of the account would, and counted.
 */
import {
  CommandStatus,
  isDeliveryReceipt,
  isFinalState,
  messageStateName,
  parseReceipt,
  type InboundRequestPdu,
  type SmppSession,
} from '@smsgw/smpp';

/** One delivery receipt as `send` reports it. */
export interface Receipt {
  /** receipted_message_id, else the text's id. */
  readonly id: string;
  /** The stat word of the text (e.g. DELIVRD). */
  readonly stat?: string;
  /** The err field of the text. */
  readonly err?: string;
  /** message_state (TLV, else from the stat word), by name. */
  readonly state?: string;
  /** Whether this is the message's final outcome (not ENROUTE/ACCEPTED…). */
  readonly final: boolean;
  /** The receipt's text as received. */
  readonly text: string;
}

/** Outcome of a wait: what arrived for each id, and the ids still without a final receipt. */
export interface ReceiptWait {
  readonly receipts: ReadonlyMap<string, readonly Receipt[]>;
  readonly missing: readonly string[];
}

/** Reads a receipt from a deliver_sm; undefined when it is not one (a mobile-originated message). */
export function receiptOf(pdu: InboundRequestPdu & { command: 'deliver_sm' }): Receipt | undefined {
  const body = pdu.tlvs.messagePayload ?? pdu.shortMessage;
  const text = Buffer.from(body).toString('latin1');
  const parsed = parseReceipt(text);
  if (!isDeliveryReceipt(pdu.esmClass) && parsed?.id === undefined) return undefined;
  const id = pdu.tlvs.receiptedMessageId ?? parsed?.id;
  if (id === undefined) return undefined;
  const stateValue = pdu.tlvs.messageState ?? parsed?.messageState;
  const state = stateValue === undefined ? undefined : messageStateName(stateValue);
  return {
    id,
    ...(parsed?.stat === undefined ? {} : { stat: parsed.stat }),
    ...(parsed?.err === undefined ? {} : { err: parsed.err }),
    ...(state === undefined ? {} : { state }),
    // A receipt with no readable state is taken as final: nothing better will come.
    final: stateValue === undefined || isFinalState(stateValue),
    text,
  };
}

/** Collects receipts from a session's deliver_sm. */
export class ReceiptCollector {
  readonly #byId = new Map<string, Receipt[]>();
  #waiters: (() => void)[] = [];
  /** deliver_sm that were not receipts (mobile-originated messages). */
  moCount = 0;
  /** Receipts received so far (intermediate ones included). */
  receiptCount = 0;

  /** Attaches to the session's 'request' event; do it before binding (a backlog arrives right after the bind). */
  constructor(session: SmppSession) {
    session.on('request', (pdu) => {
      if (pdu.command !== 'deliver_sm') {
        session.reject(pdu, CommandStatus.ESME_RINVCMDID);
        return;
      }
      session.reply(pdu, CommandStatus.ESME_ROK, { messageId: '' });
      const receipt = receiptOf(pdu);
      if (receipt === undefined) {
        this.moCount++;
        return;
      }
      this.receiptCount++;
      const list = this.#byId.get(receipt.id) ?? [];
      list.push(receipt);
      this.#byId.set(receipt.id, list);
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const wake of waiters) wake();
    });
  }

  /** Every receipt received so far, by id. */
  get receipts(): ReadonlyMap<string, readonly Receipt[]> {
    return this.#byId;
  }

  /** Whether the id has a final receipt. */
  hasFinal(id: string): boolean {
    return this.#byId.get(id)?.some((r) => r.final) ?? false;
  }

  /** Receipts that arrived for ids not in `ids`. */
  othersThan(ids: ReadonlySet<string>): number {
    let n = 0;
    for (const [id, list] of this.#byId) if (!ids.has(id)) n += list.length;
    return n;
  }

  /** Waits until every id has a final receipt, `timeoutMs` passes, or `signal` aborts. */
  async waitFor(ids: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<ReceiptWait> {
    const deadline = Date.now() + timeoutMs;
    const missing = (): string[] => ids.filter((id) => !this.hasFinal(id));
    while (missing().length > 0 && Date.now() < deadline && signal?.aborted !== true) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, deadline - Date.now());
        function done(): void {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
        this.#waiters.push(done);
      });
    }
    const receipts = new Map<string, readonly Receipt[]>();
    for (const id of ids) {
      const list = this.#byId.get(id);
      if (list !== undefined) receipts.set(id, list);
    }
    return { receipts, missing: missing() };
  }
}
