/**
 * command_status values (SMPP 3.4 §5.1.3), with the SMPP 5.0 additions a 3.4
 * gateway still uses (ESME_RINVDCS 0x104 is how GatewayAPI-style servers reject
 * an unsupported data_coding). Names are the 3.4 names.
 */
export const CommandStatus = {
  ESME_ROK: 0x00000000,
  ESME_RINVMSGLEN: 0x00000001,
  ESME_RINVCMDLEN: 0x00000002,
  ESME_RINVCMDID: 0x00000003,
  ESME_RINVBNDSTS: 0x00000004,
  ESME_RALYBND: 0x00000005,
  ESME_RINVPRTFLG: 0x00000006,
  ESME_RINVREGDLVFLG: 0x00000007,
  ESME_RSYSERR: 0x00000008,
  ESME_RINVSRCADR: 0x0000000a,
  ESME_RINVDSTADR: 0x0000000b,
  ESME_RINVMSGID: 0x0000000c,
  ESME_RBINDFAIL: 0x0000000d,
  ESME_RINVPASWD: 0x0000000e,
  ESME_RINVSYSID: 0x0000000f,
  ESME_RCANCELFAIL: 0x00000011,
  ESME_RREPLACEFAIL: 0x00000013,
  ESME_RMSGQFUL: 0x00000014,
  ESME_RINVSERTYP: 0x00000015,
  ESME_RINVNUMDESTS: 0x00000033,
  ESME_RINVDLNAME: 0x00000034,
  ESME_RINVDESTFLAG: 0x00000040,
  ESME_RINVSUBREP: 0x00000042,
  ESME_RINVESMCLASS: 0x00000043,
  ESME_RCNTSUBDL: 0x00000044,
  ESME_RSUBMITFAIL: 0x00000045,
  ESME_RINVSRCTON: 0x00000048,
  ESME_RINVSRCNPI: 0x00000049,
  ESME_RINVDSTTON: 0x00000050,
  ESME_RINVDSTNPI: 0x00000051,
  ESME_RINVSYSTYP: 0x00000053,
  ESME_RINVREPFLAG: 0x00000054,
  ESME_RINVNUMMSGS: 0x00000055,
  ESME_RTHROTTLED: 0x00000058,
  ESME_RINVSCHED: 0x00000061,
  ESME_RINVEXPIRY: 0x00000062,
  ESME_RINVDFTMSGID: 0x00000063,
  ESME_RX_T_APPN: 0x00000064,
  ESME_RX_P_APPN: 0x00000065,
  ESME_RX_R_APPN: 0x00000066,
  ESME_RQUERYFAIL: 0x00000067,
  ESME_RINVOPTPARSTREAM: 0x000000c0,
  ESME_ROPTPARNOTALLWD: 0x000000c1,
  ESME_RINVPARLEN: 0x000000c2,
  ESME_RMISSINGOPTPARAM: 0x000000c3,
  ESME_RINVOPTPARAMVAL: 0x000000c4,
  ESME_RDELIVERYFAILURE: 0x000000fe,
  ESME_RUNKNOWNERR: 0x000000ff,
  // SMPP 5.0 (§4.7.6) codes used by 3.4 gateways.
  ESME_RINVDCS: 0x00000104,
} as const;

/** The name of a known command_status, e.g. `ESME_RINVDSTTON`. */
export type CommandStatusName = keyof typeof CommandStatus;

/** ESME_RINVPARLEN under its SMPP 5.0 name, which the DESIGN contract uses. */
export const ESME_RINVTLVLEN = CommandStatus.ESME_RINVPARLEN;

const nameByCode = new Map<number, CommandStatusName>(
  Object.entries(CommandStatus).map(([name, code]) => [code, name as CommandStatusName]),
);

/** The name of a command_status, or its hex form (`0x00000123`) when it has no name. */
export function commandStatusName(code: number): string {
  return nameByCode.get(code >>> 0) ?? `0x${(code >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * Statuses after which a client should retry later rather than give up
 * (queue full, throttled, system error, receiver temporary error), as Kannel does.
 */
export function isTransientStatus(code: number): boolean {
  return (
    code === CommandStatus.ESME_RMSGQFUL ||
    code === CommandStatus.ESME_RTHROTTLED ||
    code === CommandStatus.ESME_RSYSERR ||
    code === CommandStatus.ESME_RX_T_APPN
  );
}
