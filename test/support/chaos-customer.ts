/**
 * A customer for the chaos tests on the npm `smpp` package (node-smpp): one
 * transceiver session that submits with a final receipt requested and answers
 * every deliver_sm ESME_ROK. It records when and how each submit_sm was
 * answered (or that it never was) and when each final delivery report came.
 */
import smpp from 'smpp';
import { isFinalState } from '@smsgw/smpp';
import { connectNodeSmpp, type NodeSmppClient } from './node-smpp-client.ts';

/** How one submit_sm ended, at `at` (performance.now()). */
export type ChaosSubmit =
  | { readonly kind: 'ok'; readonly messageId: string; readonly at: number }
  | { readonly kind: 'error'; readonly commandStatus: number; readonly at: number }
  | { readonly kind: 'no-answer'; readonly at: number };

/** A bound chaos customer. */
export interface ChaosCustomer {
  /** Final delivery reports by receipted message id: when each came (a list: duplicates show). */
  readonly finals: Map<string, number[]>;
  /** Submits one message (text "chaos" unless given); resolves with how it ended (unanswered after `timeoutMs`). */
  submit(destination: string, timeoutMs: number, text?: string): Promise<ChaosSubmit>;
  /** Whether the session is still open. */
  readonly open: boolean;
  close(): Promise<void>;
}

/** Binds a transceiver on 127.0.0.1:`port`. */
export async function bindChaosCustomer(
  port: number,
  credentials: { systemId: string; password: string },
): Promise<ChaosCustomer> {
  const client: NodeSmppClient = await connectNodeSmpp(port);
  const { session, send } = client;
  let open = true;
  session.on('close', () => (open = false));
  const finals = new Map<string, number[]>();
  session.on('deliver_sm', (pdu: smpp.PDU) => {
    session.send(pdu.response());
    const id = pdu['receipted_message_id'];
    const state = pdu['message_state'];
    if (typeof id === 'string' && typeof state === 'number' && isFinalState(state)) {
      const key = id.replace(/\0+$/, '');
      finals.set(key, [...(finals.get(key) ?? []), performance.now()]);
    }
  });
  const bound = await send('bind_transceiver', {
    system_id: credentials.systemId,
    password: credentials.password,
  });
  if (bound.command_status !== 0) {
    session.destroy();
    throw new Error(`bind_transceiver refused: status ${String(bound.command_status)}`);
  }
  return {
    finals,
    get open() {
      return open;
    },
    async submit(destination, timeoutMs, text = 'chaos') {
      const answer = send('submit_sm', {
        source_addr: 'chaos',
        destination_addr: destination,
        data_coding: 0,
        registered_delivery: 1,
        short_message: text,
      });
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(resolve, timeoutMs, undefined);
      });
      const response = await Promise.race([answer, late]);
      clearTimeout(timer);
      const at = performance.now();
      if (response === undefined) return { kind: 'no-answer', at };
      return response.command_status === 0
        ? { kind: 'ok', messageId: response['message_id'] as string, at }
        : { kind: 'error', commandStatus: response.command_status, at };
    },
    close: client.close,
  };
}
