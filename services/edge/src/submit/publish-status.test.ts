import { JetStreamApiError } from '@nats-io/jetstream';
import { jserrors } from '@nats-io/jetstream/internal';
import { TimeoutError, errors } from '@nats-io/transport-node';
import { CommandStatus } from '@smsgw/smpp';
import { describe, expect, it } from 'vitest';
import { isTransientPublishError, publishErrorStatus } from './publish-status.ts';

const apiError = (code: number, errCode: number, description: string): JetStreamApiError =>
  new JetStreamApiError({ code, err_code: errCode, description });

describe('publishErrorStatus', () => {
  it('answers ESME_RMSGQFUL for a PubAck timeout and JetStream out of resources', () => {
    expect(publishErrorStatus(new TimeoutError())).toBe(CommandStatus.ESME_RMSGQFUL);
    expect(publishErrorStatus(new errors.RequestError('timeout', { cause: new TimeoutError() }))).toBe(
      CommandStatus.ESME_RMSGQFUL,
    );
    expect(publishErrorStatus(apiError(503, 10047, 'insufficient resources'))).toBe(
      CommandStatus.ESME_RMSGQFUL,
    );
  });

  it('answers ESME_RMSGQFUL while a stream elects a leader (no responders) and while the cluster has no quorum', () => {
    const noResponders = new errors.NoRespondersError('sms.submit.acme');
    expect(publishErrorStatus(noResponders)).toBe(CommandStatus.ESME_RMSGQFUL);
    expect(publishErrorStatus(new errors.RequestError('no responders', { cause: noResponders }))).toBe(
      CommandStatus.ESME_RMSGQFUL,
    );
    // js.publish() reports a no-responders as "jetstream is not enabled", the RequestError as its cause.
    const wrapped = new jserrors.JetStreamNotEnabled('jetstream is not enabled', {
      cause: new errors.RequestError('no responders', { cause: noResponders }),
    });
    expect(publishErrorStatus(wrapped)).toBe(CommandStatus.ESME_RMSGQFUL);
    for (const [code, errCode] of [
      [503, 10008], // JetStream system temporarily unavailable (no meta leader)
      [500, 10009], // not the leader
      [500, 10004], // cluster incomplete
      [400, 10040], // peer not a member yet
    ] as const) {
      expect(publishErrorStatus(apiError(code, errCode, 'cluster in transition'))).toBe(
        CommandStatus.ESME_RMSGQFUL,
      );
    }
  });

  it('answers ESME_RMSGQFUL when the connection is lost, closing or draining: another pod or a retry takes it', () => {
    for (const error of [
      new errors.ClosedConnectionError(),
      new errors.DrainingConnectionError(),
      new errors.ConnectionError('disconnected'),
    ]) {
      expect(publishErrorStatus(error)).toBe(CommandStatus.ESME_RMSGQFUL);
    }
  });

  it('answers ESME_RSYSERR for what is really broken, never ESME_ROK', () => {
    const refused = apiError(400, 10054, 'message too big');
    const disabled = apiError(400, 10039, 'jetstream not enabled for account');
    const denied = new errors.PermissionViolationError('denied', 'publish', 'sms.submit.acme');
    for (const error of [refused, disabled, denied, new Error('boom'), 'a string']) {
      expect(publishErrorStatus(error)).toBe(CommandStatus.ESME_RSYSERR);
      expect(isTransientPublishError(error)).toBe(false);
    }
  });
});
