/**
 * Responses to requests (SMPP 3.4 §2.4, §4): every request but outbind and
 * alert_notification has a response command with the same sequence_number;
 * generic_nack answers what cannot be answered otherwise (§4.3).
 */
import type { CommandName } from '../constants/command-id.ts';
import { createPdu, type PduInit } from './create.ts';
import type { GenericNack, PduByCommand, PduHeader } from './types.ts';

const responseCommands = {
  bind_receiver: 'bind_receiver_resp',
  bind_transmitter: 'bind_transmitter_resp',
  bind_transceiver: 'bind_transceiver_resp',
  query_sm: 'query_sm_resp',
  submit_sm: 'submit_sm_resp',
  deliver_sm: 'deliver_sm_resp',
  unbind: 'unbind_resp',
  replace_sm: 'replace_sm_resp',
  cancel_sm: 'cancel_sm_resp',
  enquire_link: 'enquire_link_resp',
  submit_multi: 'submit_multi_resp',
  data_sm: 'data_sm_resp',
} as const satisfies Partial<Record<CommandName, CommandName>>;

/** A request command that has a response (all but outbind and alert_notification). */
export type RequestWithResponse = keyof typeof responseCommands;

/** The response command of a request command, e.g. `submit_sm_resp` for `submit_sm`; never for anything else. */
export type ResponseCommandOf<C extends CommandName> = C extends RequestWithResponse
  ? (typeof responseCommands)[C]
  : never;

/** The fields a caller may set on a response besides its status and sequence number. */
export type ResponseInit<C extends RequestWithResponse> = Omit<
  PduInit<ResponseCommandOf<C>>,
  'commandStatus' | 'sequenceNumber'
>;

/** True when `command` is a request that has a response. */
export function hasResponse(command: CommandName): command is RequestWithResponse {
  return Object.hasOwn(responseCommands, command);
}

/** The response command of a request command; undefined for responses, outbind and alert_notification. */
export function responseCommandOf<C extends RequestWithResponse>(command: C): ResponseCommandOf<C>;
export function responseCommandOf(command: CommandName): CommandName | undefined;
export function responseCommandOf(command: CommandName): CommandName | undefined {
  return hasResponse(command) ? responseCommands[command] : undefined;
}

/**
 * The response to `request` (typed PDUs infer the response type, e.g.
 * submit_sm → SubmitSmResp): same sequence_number, `commandStatus` (default 0
 * ESME_ROK), every body field at its default unless given in `init`. Encoded
 * with a non-zero status and default body, it is a 16-octet header (§4.1.2, §4.4.2).
 */
export function createResponse<C extends RequestWithResponse>(
  request: PduByCommand[C] & PduHeader<C>,
  commandStatus = 0,
  init?: ResponseInit<C>,
): PduByCommand[ResponseCommandOf<C>] {
  const command = responseCommands[request.command] as ResponseCommandOf<C>;
  const response = createPdu(command, init as PduInit<ResponseCommandOf<C>> | undefined);
  response.commandStatus = commandStatus;
  response.sequenceNumber = request.sequenceNumber;
  return response;
}

/** A generic_nack (§4.3.1) for a PDU that cannot get its own response, e.g. an unknown command_id. */
export function createGenericNack(sequenceNumber: number, commandStatus: number): GenericNack {
  return { command: 'generic_nack', commandStatus, sequenceNumber };
}
