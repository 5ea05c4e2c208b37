import { CommandStatus } from '@smsgw/smpp';

/** A command_status by name (`ESME_RINVDSTADR`) or number (`11`, `0x0B`) as a setting writes it; undefined for anything else. */
export function commandStatusOfSetting(text: string): number | undefined {
  const byName = (CommandStatus as Readonly<Record<string, number>>)[text.trim().toUpperCase()];
  if (byName !== undefined) return byName;
  if (!/^(0x[0-9a-f]{1,8}|\d{1,10})$/i.test(text.trim())) return undefined;
  const value = Number(text.trim());
  return Number.isInteger(value) && value > 0 && value <= 0xffffffff ? value : undefined;
}
