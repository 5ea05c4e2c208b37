import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../constants/command-status.ts';
import { bindCommandOf, boundStateOf, isBindCommand, isBound, requestStatus } from './session-state.ts';

const { ESME_ROK, ESME_RINVBNDSTS, ESME_RALYBND, ESME_RINVCMDID } = CommandStatus;

describe('session state rules', () => {
  it('maps bind types to commands and bound states', () => {
    expect(bindCommandOf('transceiver')).toBe('bind_transceiver');
    expect(boundStateOf('bind_transmitter')).toBe('bound_tx');
    expect(boundStateOf('bind_receiver')).toBe('bound_rx');
    expect(boundStateOf('bind_transceiver')).toBe('bound_trx');
    expect(isBindCommand('bind_receiver')).toBe(true);
    expect(isBindCommand('submit_sm')).toBe(false);
    expect(isBound('bound_rx')).toBe(true);
    expect(isBound('open')).toBe(false);
    expect(isBound('unbinding')).toBe(false);
  });

  it('allows only bind, enquire_link and unbind before bind', () => {
    expect(requestStatus('client', 'open', 'bind_transceiver')).toBe(ESME_ROK);
    expect(requestStatus('client', 'open', 'enquire_link')).toBe(ESME_ROK);
    expect(requestStatus('client', 'open', 'unbind')).toBe(ESME_ROK);
    expect(requestStatus('client', 'open', 'submit_sm')).toBe(ESME_RINVBNDSTS);
    expect(requestStatus('client', 'open', 'query_sm')).toBe(ESME_RINVBNDSTS);
    expect(requestStatus('client', 'open', 'data_sm')).toBe(ESME_RINVBNDSTS);
    // Wrong-direction requests before bind are still a bind-state fault.
    expect(requestStatus('client', 'open', 'deliver_sm')).toBe(ESME_RINVBNDSTS);
    expect(requestStatus('server', 'open', 'deliver_sm')).toBe(ESME_RINVBNDSTS);
  });

  it('answers a second bind with ESME_RALYBND', () => {
    for (const state of ['bound_tx', 'bound_rx', 'bound_trx'] as const) {
      expect(requestStatus('client', state, 'bind_transmitter')).toBe(ESME_RALYBND);
    }
    expect(requestStatus('client', 'unbinding', 'bind_transmitter')).toBe(ESME_RINVBNDSTS);
  });

  it('allows transmit requests from the ESME only on TX and TRX binds', () => {
    for (const command of [
      'submit_sm',
      'submit_multi',
      'query_sm',
      'cancel_sm',
      'replace_sm',
      'data_sm',
    ] as const) {
      expect(requestStatus('client', 'bound_tx', command)).toBe(ESME_ROK);
      expect(requestStatus('client', 'bound_trx', command)).toBe(ESME_ROK);
      expect(requestStatus('client', 'bound_rx', command)).toBe(ESME_RINVBNDSTS);
      expect(requestStatus('client', 'unbinding', command)).toBe(ESME_RINVBNDSTS);
    }
  });

  it('allows deliver_sm and data_sm from the MC only on RX and TRX binds', () => {
    for (const command of ['deliver_sm', 'data_sm', 'alert_notification'] as const) {
      expect(requestStatus('server', 'bound_rx', command)).toBe(ESME_ROK);
      expect(requestStatus('server', 'bound_trx', command)).toBe(ESME_ROK);
      expect(requestStatus('server', 'bound_tx', command)).toBe(ESME_RINVBNDSTS);
    }
  });

  it('answers requests from the wrong side with ESME_RINVCMDID once bound', () => {
    expect(requestStatus('client', 'bound_trx', 'deliver_sm')).toBe(ESME_RINVCMDID);
    expect(requestStatus('server', 'bound_trx', 'submit_sm')).toBe(ESME_RINVCMDID);
    expect(requestStatus('server', 'bound_trx', 'bind_transceiver')).toBe(ESME_RINVCMDID);
    expect(requestStatus('client', 'bound_trx', 'submit_sm_resp')).toBe(ESME_RINVCMDID);
  });

  it('answers requests crossing our unbind with a transient status when the bind allowed them', () => {
    expect(requestStatus('client', 'unbinding', 'submit_sm', 'bound_trx')).toBe(CommandStatus.ESME_RSYSERR);
    expect(requestStatus('client', 'unbinding', 'submit_sm', 'bound_rx')).toBe(ESME_RINVBNDSTS);
    expect(requestStatus('client', 'unbinding', 'submit_sm', 'open')).toBe(ESME_RINVBNDSTS);
    expect(requestStatus('client', 'unbinding', 'submit_sm')).toBe(ESME_RINVBNDSTS);
  });

  it('keeps answering enquire_link and unbind while unbinding', () => {
    expect(requestStatus('server', 'unbinding', 'enquire_link')).toBe(ESME_ROK);
    expect(requestStatus('client', 'unbinding', 'unbind')).toBe(ESME_ROK);
  });
});
