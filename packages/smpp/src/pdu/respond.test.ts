import { describe, expect, expectTypeOf, it } from 'vitest';
import { CommandId, responseIdOf, type CommandName } from '../constants/command-id.ts';
import { CommandStatus } from '../constants/command-status.ts';
import { createPdu } from './create.ts';
import { decodePdu } from './decode.ts';
import { encodePdu } from './encode.ts';
import {
  createGenericNack,
  createResponse,
  hasResponse,
  responseCommandOf,
  type ResponseCommandOf,
} from './respond.ts';
import type { BindTransceiverResp, DataSmResp, EnquireLinkResp, Pdu, SubmitSmResp } from './types.ts';

const allCommands = Object.keys(CommandId) as CommandName[];

describe('responseCommandOf', () => {
  it('maps every request with a response to the command whose id has bit 31 set', () => {
    for (const command of allCommands) {
      const response = responseCommandOf(command);
      if (response === undefined) continue;
      expect(CommandId[response]).toBe(responseIdOf(CommandId[command]));
    }
  });

  it('has no response for responses, outbind and alert_notification', () => {
    const without = allCommands.filter((command) => !hasResponse(command));
    expect(without.sort()).toEqual(
      [
        'generic_nack',
        'bind_receiver_resp',
        'bind_transmitter_resp',
        'bind_transceiver_resp',
        'query_sm_resp',
        'submit_sm_resp',
        'deliver_sm_resp',
        'unbind_resp',
        'replace_sm_resp',
        'cancel_sm_resp',
        'enquire_link_resp',
        'submit_multi_resp',
        'data_sm_resp',
        'outbind',
        'alert_notification',
      ].sort(),
    );
    expect(responseCommandOf('outbind')).toBeUndefined();
    expect(responseCommandOf('submit_sm_resp')).toBeUndefined();
  });

  it('is typed per command', () => {
    expectTypeOf(responseCommandOf('submit_sm')).toEqualTypeOf<'submit_sm_resp'>();
    expectTypeOf<ResponseCommandOf<'data_sm'>>().toEqualTypeOf<'data_sm_resp'>();
    expectTypeOf<ResponseCommandOf<'outbind'>>().toEqualTypeOf<never>();
  });
});

describe('createResponse', () => {
  it('answers with the same sequence number, status 0 and a default body', () => {
    const request = createPdu('submit_sm', { sequenceNumber: 77, sourceAddr: 'x' });
    const response = createResponse(request);
    expectTypeOf(response).toEqualTypeOf<SubmitSmResp>();
    expect(response).toEqual({
      command: 'submit_sm_resp',
      commandStatus: 0,
      sequenceNumber: 77,
      messageId: '',
    });
  });

  it('takes a status and body fields', () => {
    const bind = createPdu('bind_transceiver', { sequenceNumber: 1 });
    const ok = createResponse(bind, CommandStatus.ESME_ROK, {
      systemId: 'SMSGW',
      tlvs: { scInterfaceVersion: 0x34 },
    });
    expectTypeOf(ok).toEqualTypeOf<BindTransceiverResp>();
    expect(Buffer.from(encodePdu(ok)).toString('hex')).toBe(
      '0000001b' + '80000009' + '00000000' + '00000001' + '534d53475700' + '0210000134',
    );
    const data = createResponse(
      createPdu('data_sm', { sequenceNumber: 3 }),
      CommandStatus.ESME_RDELIVERYFAILURE,
      {
        tlvs: { deliveryFailureReason: 0 },
      },
    );
    expectTypeOf(data).toEqualTypeOf<DataSmResp>();
    expect(data).toMatchObject({
      commandStatus: 0xfe,
      sequenceNumber: 3,
      tlvs: { deliveryFailureReason: 0 },
    });
  });

  it('an error response encodes header-only (docs/smpp-reference.md §8.2 vector 6)', () => {
    const request = createPdu('submit_sm', { sequenceNumber: 2 });
    const response = createResponse(request, CommandStatus.ESME_RINVDSTADR);
    expect(Buffer.from(encodePdu(response)).toString('hex')).toBe('00000010800000040000000b00000002');
  });

  it('works from a decoded PDU narrowed by command', () => {
    const pdu: Pdu = decodePdu(Buffer.from('00000010000000150000000000000003', 'hex'));
    if (pdu.command !== 'enquire_link') throw new Error('expected enquire_link');
    const response = createResponse(pdu);
    expectTypeOf(response).toEqualTypeOf<EnquireLinkResp>();
    expect(Buffer.from(encodePdu(response)).toString('hex')).toBe('00000010800000150000000000000003');
  });

  it('answers every request that has a response', () => {
    for (const command of allCommands) {
      if (!hasResponse(command)) continue;
      const response = createResponse(createPdu(command, { sequenceNumber: 5 }), 0x58);
      expect(response.command).toBe(responseCommandOf(command));
      expect(response.sequenceNumber).toBe(5);
      expect(response.commandStatus).toBe(0x58);
      expect(encodePdu(response).length).toBe(16);
    }
  });
});

describe('createGenericNack', () => {
  it('builds the docs/smpp-reference.md §8.2 vector 10', () => {
    const nack = createGenericNack(5, CommandStatus.ESME_RINVCMDID);
    expect(nack).toEqual({ command: 'generic_nack', commandStatus: 3, sequenceNumber: 5 });
    expect(Buffer.from(encodePdu(nack)).toString('hex')).toBe('00000010800000000000000300000005');
  });
});
