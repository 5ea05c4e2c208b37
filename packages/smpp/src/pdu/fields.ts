/**
 * C-Octet String fields of the SMPP 3.4 bodies (spec §4, docs/smpp-reference.md §1.4):
 * their spec name, maximum size on the wire (NUL included) and the
 * command_status that reports a value that is too long. Fields without a
 * status of their own report ESME_RINVCMDLEN.
 */
import { CommandStatus } from '../constants/command-status.ts';

/** One C-Octet String field: spec name, max octets including the NUL, status for a bad value. */
export interface CStringField {
  readonly name: string;
  readonly max: number;
  readonly status: number;
}

const S = CommandStatus;

/** The C-Octet String fields, keyed by the camelCase name the PDU types use (with a size suffix where it varies). */
export const CString = {
  systemId: { name: 'system_id', max: 16, status: S.ESME_RINVSYSID },
  password: { name: 'password', max: 9, status: S.ESME_RINVPASWD },
  systemType: { name: 'system_type', max: 13, status: S.ESME_RINVSYSTYP },
  addressRange: { name: 'address_range', max: 41, status: S.ESME_RINVCMDLEN },
  serviceType: { name: 'service_type', max: 6, status: S.ESME_RINVSERTYP },
  sourceAddr: { name: 'source_addr', max: 21, status: S.ESME_RINVSRCADR },
  destinationAddr: { name: 'destination_addr', max: 21, status: S.ESME_RINVDSTADR },
  // data_sm (§4.7.1) and alert_notification (§4.12.1) allow 65-octet addresses.
  sourceAddr65: { name: 'source_addr', max: 65, status: S.ESME_RINVSRCADR },
  destinationAddr65: { name: 'destination_addr', max: 65, status: S.ESME_RINVDSTADR },
  esmeAddr: { name: 'esme_addr', max: 65, status: S.ESME_RINVCMDLEN },
  messageId: { name: 'message_id', max: 65, status: S.ESME_RINVMSGID },
  dlName: { name: 'dl_name', max: 21, status: S.ESME_RINVDLNAME },
  scheduleDeliveryTime: { name: 'schedule_delivery_time', max: 17, status: S.ESME_RINVSCHED },
  validityPeriod: { name: 'validity_period', max: 17, status: S.ESME_RINVEXPIRY },
  finalDate: { name: 'final_date', max: 17, status: S.ESME_RINVCMDLEN },
} as const satisfies Record<string, CStringField>;

/** Characters in a set SMPP time field (`YYMMDDhhmmsstnnp`, spec §7.1); an unset one is ''. */
export const TIME_LENGTH = 16;

/** Largest short_message: sm_length is one octet (cloudhopper and GatewayAPI accept 255). */
export const MAX_SHORT_MESSAGE = 255;

/** Largest number_of_dests in submit_multi (spec §4.5.1). */
export const MAX_DESTINATIONS = 254;

/** dest_flag values in submit_multi (spec §5.2.25). */
export const DestFlag = { smeAddress: 1, distributionList: 2 } as const;
