import { JetStreamApiError } from '@nats-io/jetstream';
import { TimeoutError, errors } from '@nats-io/transport-node';
import { CommandStatus } from '@smsgw/smpp';
import { describe, expect, it } from 'vitest';
import { publishErrorStatus } from './publish-status.ts';

describe('publishErrorStatus', () => {
  it('answers ESME_RMSGQFUL for a PubAck timeout and JetStream out of resources', () => {
    expect(publishErrorStatus(new TimeoutError())).toBe(CommandStatus.ESME_RMSGQFUL);
    expect(publishErrorStatus(new errors.RequestError('timeout', { cause: new TimeoutError() }))).toBe(
      CommandStatus.ESME_RMSGQFUL,
    );
    const full = new JetStreamApiError({ code: 503, err_code: 10047, description: 'insufficient resources' });
    expect(publishErrorStatus(full)).toBe(CommandStatus.ESME_RMSGQFUL);
  });

  it('answers ESME_RSYSERR for everything else, never ESME_ROK', () => {
    const refused = new JetStreamApiError({ code: 400, err_code: 10054, description: 'message too big' });
    for (const error of [refused, new errors.ClosedConnectionError(), new Error('boom'), 'a string']) {
      expect(publishErrorStatus(error)).toBe(CommandStatus.ESME_RSYSERR);
    }
  });
});
