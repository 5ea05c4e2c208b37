import { describe, expect, it } from 'vitest';
import { CommandId } from '../constants/command-id.ts';
import { commandNames } from './arbitraries.test-support.ts';
import { createPdu } from './create.ts';

describe('createPdu', () => {
  it('covers every command', () => {
    expect(commandNames).toEqual(Object.keys(CommandId));
  });

  it.each(commandNames)('%s: header fields 0, body fields at their defaults', (command) => {
    const pdu = createPdu(command);
    expect(pdu.command).toBe(command);
    expect(pdu.commandStatus).toBe(0);
    expect(pdu.sequenceNumber).toBe(0);
    for (const [key, value] of Object.entries(pdu)) {
      if (key === 'command') continue;
      if (key === 'interfaceVersion') expect(value).toBe(0x34);
      else if (typeof value === 'number') expect(value, key).toBe(0);
      else if (typeof value === 'string') expect(value, key).toBe('');
      else if (value instanceof Uint8Array) expect(value.length, key).toBe(0);
      else if (Array.isArray(value)) expect(value, key).toEqual([]);
      else expect(value, key).toEqual({});
    }
  });

  it('bind requests default to interface_version 0x34', () => {
    expect(createPdu('bind_transceiver').interfaceVersion).toBe(0x34);
    expect(createPdu('bind_receiver').interfaceVersion).toBe(0x34);
    expect(createPdu('bind_transmitter', { interfaceVersion: 0x33 }).interfaceVersion).toBe(0x33);
  });

  it('takes fields from init', () => {
    const pdu = createPdu('submit_sm', {
      sequenceNumber: 7,
      sourceAddr: 'ExampleCo',
      shortMessage: new Uint8Array([1]),
      tlvs: { userMessageReference: 1 },
    });
    expect(pdu).toMatchObject({
      command: 'submit_sm',
      sequenceNumber: 7,
      commandStatus: 0,
      sourceAddr: 'ExampleCo',
      destinationAddr: '',
      shortMessage: new Uint8Array([1]),
      tlvs: { userMessageReference: 1 },
    });
  });

  it('returns fresh objects: mutating one PDU never changes another', () => {
    const a = createPdu('submit_multi');
    const b = createPdu('submit_multi');
    a.tlvs.messageState = 2;
    a.destAddresses.push({ destFlag: 2, dlName: 'x' });
    a.shortMessage = new Uint8Array([9]);
    expect(b.tlvs).toEqual({});
    expect(b.destAddresses).toEqual([]);
    expect(b.shortMessage.length).toBe(0);
    expect(createPdu('submit_sm').tlvs).not.toBe(createPdu('submit_sm').tlvs);
  });
});
