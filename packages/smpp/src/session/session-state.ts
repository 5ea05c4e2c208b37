/**
 * The session state machine (SMPP 3.4 §2.2, §2.3 table 2-1; docs/smpp-reference.md §1.5):
 * OPEN → BOUND_TX / BOUND_RX / BOUND_TRX → UNBINDING → CLOSED, and which
 * requests each side may issue in each state. The same table judges what the
 * peer sends us (answered with an error status when not allowed) and what the
 * application asks us to send (rejected locally).
 */
import { CommandStatus } from '../constants/command-status.ts';
import type { CommandName } from '../constants/command-id.ts';

/** Which end of the link a session is: `client` = ESME, `server` = MC (SMSC). */
export type SessionRole = 'client' | 'server';

/** The states of a session. */
export type SessionState = 'open' | 'bound_tx' | 'bound_rx' | 'bound_trx' | 'unbinding' | 'closed';

/** The three bind requests. */
export type BindCommand = 'bind_transmitter' | 'bind_receiver' | 'bind_transceiver';

/** The short bind type names used by `SmppSession.bind()`. */
export type BindType = 'transmitter' | 'receiver' | 'transceiver';

const BOUND_STATE: Record<BindCommand, SessionState> = {
  bind_transmitter: 'bound_tx',
  bind_receiver: 'bound_rx',
  bind_transceiver: 'bound_trx',
};

/** The bind command of a bind type. */
export function bindCommandOf(type: BindType): BindCommand {
  return `bind_${type}`;
}

/** True for bind_transmitter, bind_receiver and bind_transceiver. */
export function isBindCommand(command: string): command is BindCommand {
  return command === 'bind_transmitter' || command === 'bind_receiver' || command === 'bind_transceiver';
}

/** The state a successful bind moves the session to. */
export function boundStateOf(command: BindCommand): SessionState {
  return BOUND_STATE[command];
}

/** True in BOUND_TX, BOUND_RX and BOUND_TRX. */
export function isBound(state: SessionState): boolean {
  return state === 'bound_tx' || state === 'bound_rx' || state === 'bound_trx';
}

type States = readonly SessionState[];
const OPEN_OR_BOUND: States = ['open', 'bound_tx', 'bound_rx', 'bound_trx'];
const OPEN_OR_UNBINDING: States = [...OPEN_OR_BOUND, 'unbinding'];
const TRANSMIT: States = ['bound_tx', 'bound_trx'];
const RECEIVE: States = ['bound_rx', 'bound_trx'];

/**
 * Who may issue each request and in which states. enquire_link and unbind are
 * accepted before bind as well (lenient servers do; 3.4 lists bound states
 * only), and while unbinding, so that a peer's keep-alive is answered until the
 * end and unbinds crossing on the wire both succeed.
 */
const RULES: Partial<Record<CommandName, { readonly client?: States; readonly server?: States }>> = {
  bind_transmitter: { client: ['open'] },
  bind_receiver: { client: ['open'] },
  bind_transceiver: { client: ['open'] },
  outbind: { server: ['open'] },
  unbind: { client: OPEN_OR_UNBINDING, server: OPEN_OR_UNBINDING },
  enquire_link: { client: OPEN_OR_UNBINDING, server: OPEN_OR_UNBINDING },
  submit_sm: { client: TRANSMIT },
  submit_multi: { client: TRANSMIT },
  query_sm: { client: TRANSMIT },
  cancel_sm: { client: TRANSMIT },
  replace_sm: { client: TRANSMIT },
  data_sm: { client: TRANSMIT, server: RECEIVE },
  deliver_sm: { server: RECEIVE },
  alert_notification: { server: RECEIVE },
};

/**
 * The command_status that answers a request `command` issued by `issuer` while
 * the session is in `state`: ESME_ROK when allowed; ESME_RALYBND for a bind on
 * a bound session; ESME_RINVBNDSTS for a request the state does not allow
 * (everything but bind, enquire_link and unbind before bind; submit_sm on an
 * RX bind; deliver_sm to a TX bind); ESME_RINVCMDID for a request this side
 * never issues once bound (e.g. deliver_sm sent by an ESME) and for anything
 * that is not a request.
 *
 * While unbinding, `boundState` is the state the session had before: a request
 * that state allowed crossed our unbind on the wire and gets ESME_RSYSERR, a
 * transient status, so that the client resubmits it after reconnecting
 * (ESME_RINVBNDSTS is a permanent failure to clients such as Kannel).
 */
export function requestStatus(
  issuer: SessionRole,
  state: SessionState,
  command: CommandName,
  boundState?: SessionState,
): number {
  const rule = RULES[command];
  if (rule === undefined) return CommandStatus.ESME_RINVCMDID;
  const allowed = rule[issuer];
  if (allowed === undefined) {
    return state === 'open' ? CommandStatus.ESME_RINVBNDSTS : CommandStatus.ESME_RINVCMDID;
  }
  if (allowed.includes(state)) return CommandStatus.ESME_ROK;
  if (isBindCommand(command) && isBound(state)) return CommandStatus.ESME_RALYBND;
  if (
    state === 'unbinding' &&
    boundState !== undefined &&
    isBound(boundState) &&
    allowed.includes(boundState)
  ) {
    return CommandStatus.ESME_RSYSERR;
  }
  return CommandStatus.ESME_RINVBNDSTS;
}
