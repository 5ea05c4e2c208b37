/** The npm `smpp` package (node-smpp) as the customer's client, wrapped in promises. */
import smpp from 'smpp';

/** A connected node-smpp session. */
export interface NodeSmppClient {
  /** The node-smpp session itself (for its events, e.g. deliver_sm). */
  readonly session: smpp.Session;
  /** Sends a PDU and resolves with its response. */
  readonly send: (command: string, options: smpp.PduOptions) => Promise<smpp.PDU>;
  /** Resolves when the server unbinds the session (answered with unbind_resp, then closed). */
  readonly unboundByServer: Promise<void>;
  /** Unbinds (bounded wait for unbind_resp) and closes the socket. */
  readonly close: () => Promise<void>;
}

/** Connects to an SMPP server on 127.0.0.1 (no automatic enquire_link). */
export async function connectNodeSmpp(port: number): Promise<NodeSmppClient> {
  const session = smpp.connect({ url: `smpp://127.0.0.1:${port}`, auto_enquire_link_period: 0 });
  let closed = false;
  session.on('error', () => undefined); // a refused connect rejects below; later errors end in 'close'
  session.on('close', () => (closed = true));
  await new Promise((resolve, reject) => {
    session.once('connect', resolve);
    session.once('error', reject);
  });
  // A well-behaved ESME answers the server's unbind (the edge sends one on shutdown) and closes.
  const unboundByServer = new Promise<void>((resolve) => {
    session.once('unbind', (pdu: smpp.PDU) => {
      session.send(pdu.response());
      session.close();
      resolve();
    });
  });
  const send = (command: string, options: smpp.PduOptions) =>
    new Promise<smpp.PDU>((resolve) => {
      session.send(new smpp.PDU(command, options), resolve);
    });
  return {
    session,
    send,
    unboundByServer,
    close: async () => {
      if (closed) return;
      await Promise.race([send('unbind', {}), new Promise((resolve) => setTimeout(resolve, 2_000))]);
      session.destroy();
    },
  };
}
