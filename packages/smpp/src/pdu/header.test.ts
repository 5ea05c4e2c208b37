import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { PduDecodeError } from '../errors.ts';
import { PDU_HEADER_LENGTH, readPduHeader } from './header.ts';

describe('readPduHeader', () => {
  const bytes = Buffer.from('0000001B80000004000000000000000231', 'hex');

  it('reads the four fields', () => {
    expect(PDU_HEADER_LENGTH).toBe(16);
    expect(readPduHeader(bytes)).toEqual({
      commandLength: 27,
      commandId: 0x80000004,
      commandStatus: 0,
      sequenceNumber: 2,
    });
  });

  it('reads at an offset, from a plain Uint8Array', () => {
    const framed = new Uint8Array(20);
    framed.set(bytes.subarray(0, 16), 3);
    expect(readPduHeader(framed, 3).commandId).toBe(0x80000004);
  });

  it('reads values with bit 31 set as unsigned and does not judge them', () => {
    const h = Buffer.from('ffffffff' + 'ffffffff' + '80000000' + 'fffffffe', 'hex');
    expect(readPduHeader(h)).toEqual({
      commandLength: 0xffffffff,
      commandId: 0xffffffff,
      commandStatus: 0x80000000,
      sequenceNumber: 0xfffffffe,
    });
  });

  it.each([
    [15, 0],
    [20, 5],
    [16, -1],
    [16, 0.5],
  ])('fails with ESME_RINVCMDLEN when %i octets at offset %s hold no header', (length, offset) => {
    const error = (() => {
      try {
        readPduHeader(new Uint8Array(length), offset);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PduDecodeError);
    expect((error as PduDecodeError).commandStatus).toBe(CommandStatus.ESME_RINVCMDLEN);
  });
});
