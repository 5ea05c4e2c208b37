import { CommandStatus } from '@smsgw/smpp';
import { describe, expect, it } from 'vitest';
import { commandStatusOfSetting } from './command-status-setting.ts';

describe('commandStatusOfSetting', () => {
  it('reads names and numbers', () => {
    expect(commandStatusOfSetting('ESME_RINVDSTADR')).toBe(CommandStatus.ESME_RINVDSTADR);
    expect(commandStatusOfSetting(' esme_rthrottled ')).toBe(CommandStatus.ESME_RTHROTTLED);
    expect(commandStatusOfSetting('0x45')).toBe(0x45);
    expect(commandStatusOfSetting('11')).toBe(11);
  });

  it('refuses anything else', () => {
    for (const text of ['', 'ESME_NOPE', '0', '-1', '0x', '1.5', '0x100000000']) {
      expect(commandStatusOfSetting(text), text).toBeUndefined();
    }
  });
});
