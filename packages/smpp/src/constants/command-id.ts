/**
 * SMPP 3.4 command_id values (spec §5.1.2.1). A response id is the request id
 * with bit 31 set. The SMPP 5.0 broadcast commands are listed so that a server
 * can answer them with ESME_RINVCMDID instead of treating them as garbage.
 */
export const CommandId = {
  generic_nack: 0x80000000,
  bind_receiver: 0x00000001,
  bind_receiver_resp: 0x80000001,
  bind_transmitter: 0x00000002,
  bind_transmitter_resp: 0x80000002,
  query_sm: 0x00000003,
  query_sm_resp: 0x80000003,
  submit_sm: 0x00000004,
  submit_sm_resp: 0x80000004,
  deliver_sm: 0x00000005,
  deliver_sm_resp: 0x80000005,
  unbind: 0x00000006,
  unbind_resp: 0x80000006,
  replace_sm: 0x00000007,
  replace_sm_resp: 0x80000007,
  cancel_sm: 0x00000008,
  cancel_sm_resp: 0x80000008,
  bind_transceiver: 0x00000009,
  bind_transceiver_resp: 0x80000009,
  outbind: 0x0000000b,
  enquire_link: 0x00000015,
  enquire_link_resp: 0x80000015,
  submit_multi: 0x00000021,
  submit_multi_resp: 0x80000021,
  alert_notification: 0x00000102,
  data_sm: 0x00000103,
  data_sm_resp: 0x80000103,
} as const;

/** The spec name of a command, e.g. `submit_sm`. */
export type CommandName = keyof typeof CommandId;

/** SMPP 5.0 command ids a 3.4 server may still receive (answered ESME_RINVCMDID). */
export const Smpp50CommandId = {
  broadcast_sm: 0x00000111,
  query_broadcast_sm: 0x00000112,
  cancel_broadcast_sm: 0x00000113,
} as const;

/** Bit 31 of command_id marks a response. */
export const RESPONSE_BIT = 0x80000000;

const nameById = new Map<number, CommandName>(
  Object.entries(CommandId).map(([name, id]) => [id, name as CommandName]),
);

/** The command name for a command_id, or undefined when the id is not an SMPP 3.4 command. */
export function commandNameOf(commandId: number): CommandName | undefined {
  return nameById.get(commandId >>> 0);
}

/** True when the command_id has the response bit set. */
export function isResponseId(commandId: number): boolean {
  return (commandId & RESPONSE_BIT) !== 0;
}

/** The response command_id that answers a request command_id. */
export function responseIdOf(commandId: number): number {
  return (commandId | RESPONSE_BIT) >>> 0;
}
