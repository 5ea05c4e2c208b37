/**
 * The `smpp` driver: hands messages to an upstream SMSC over SMPP 3.4 and turns
 * its receipts into status events (README "The smpp driver").
 *
 * send(): waits for the connector's rate (token-bucket.ts) and a bound
 * transmitting session, sends the submit_sm parts as CLIENT spans in the
 * message's trace, and on ESME_ROK stores upstream id → envelope before it
 * reports ENROUTE with the upstream id and resolves (the worker acks). A
 * transient answer rejects (the worker naks with back-off); ESME_RTHROTTLED
 * also pauses every session; a permanent one is reported as a final status.
 * Final statuses come later, from receipts (receipt-intake.ts).
 */
import { SpanKind } from '@opentelemetry/api';
import { MessageState } from '@smsgw/proto';
import type { Metrics } from '@smsgw/runtime';
import { CommandStatus, SessionClosedError, SmppError, commandStatusName, type SubmitSm } from '@smsgw/smpp';
import {
  SmsgwAttr,
  extractFromFields,
  recordCommandStatus,
  recordError,
  startSmppSpan,
  tracerFor,
} from '@smsgw/telemetry';
import type { Delivery, Driver, DriverContext } from '../driver.ts';
import { ConnectorError, TryNextConnectorError } from '../errors.ts';
import { createReceiptIntake, type ReceiptIntake } from './receipt-intake.ts';
import { SessionPool } from './session-pool.ts';
import { createSmppMetrics, type SmppMetrics } from './smpp-metrics.ts';
import type { SmppSettings } from './smpp-settings.ts';
import { submitOutcomeOf, refusalErrorCode } from './submit-outcome.ts';
import { submitParts } from './submit-parts.ts';
import { expiryMsOf } from '../expiry.ts';
import { TokenBucket } from './token-bucket.ts';
import { canonicalUpstreamId, trimUpstreamId } from './upstream-id.ts';
import type { UpstreamIdStore } from './upstream-id-store.ts';

const tracer = tracerFor('@smsgw/connector');

/** A submit that may succeed later (throttled, queue full, no session, timeout): the worker naks it. */
export class UpstreamTransientError extends ConnectorError {
  readonly commandStatus: number;
  constructor(message: string, commandStatus: number, options?: ErrorOptions) {
    super(message, options);
    this.commandStatus = commandStatus;
  }
}

/** A permanent refusal of one part: reported as a final status. */
class UpstreamRefusal extends ConnectorError {
  readonly messageState: MessageState;
  readonly errorCode: number;
  constructor(commandStatus: number, messageState: MessageState, errorCode: number) {
    super(`upstream refused the submit: ${commandStatusName(commandStatus)}`);
    this.messageState = messageState;
    this.errorCode = errorCode;
  }
}

/** Options of createSmppDriver. */
export interface SmppDriverOptions {
  readonly settings: SmppSettings;
  /** The service's metrics registry. */
  readonly metrics: Metrics;
  /** Opens the upstream id mapping (at start, once NATS is there). */
  readonly openStore: () => Promise<UpstreamIdStore>;
}

/** An smpp driver, with what tests look at. */
export interface SmppDriver extends Driver {
  readonly metrics: SmppMetrics;
}

/** Creates the smpp driver; sessions connect in start(). */
export function createSmppDriver(options: SmppDriverOptions): SmppDriver {
  const { settings } = options;
  const metrics = createSmppMetrics(options.metrics);
  const bucket = new TokenBucket(settings.tps);
  let store: UpstreamIdStore | undefined;
  let pool: SessionPool | undefined;
  let intake: ReceiptIntake | undefined;
  let windowTimer: NodeJS.Timeout | undefined;
  const outstanding = new Set<Promise<unknown>>();

  /** Sends one part; resolves with the upstream id, or the outcome to act on. */
  async function submitPart(delivery: Delivery, pdu: SubmitSm): Promise<string> {
    await bucket.take(delivery.signal);
    const session = await pool?.waitForTransmitter(settings.responseTimeoutMs, delivery.signal);
    if (session === undefined) {
      metrics.submits.inc({ command_status: 'no_session' });
      throw new UpstreamTransientError('no bound upstream session', CommandStatus.ESME_RSYSERR);
    }
    const span = startSmppSpan(tracer, {
      command: 'submit_sm',
      kind: SpanKind.CLIENT,
      parent: extractFromFields(delivery.envelope),
      systemId: delivery.envelope.systemId,
    });
    const startedAt = performance.now();
    const request = session.request(pdu);
    outstanding.add(request);
    try {
      const response = await request;
      metrics.submitLatency.observe((performance.now() - startedAt) / 1000);
      metrics.submits.inc({ command_status: commandStatusName(response.commandStatus) });
      recordCommandStatus(span, response.commandStatus);
      const outcome = submitOutcomeOf(response.commandStatus, settings.tryNextStatuses);
      switch (outcome.kind) {
        case 'accepted': {
          // The SMSC has it: from here on nothing may send it again (a failure below acks, not naks).
          delivery.accepted();
          const upstreamId = trimUpstreamId(response.messageId);
          span.setAttribute(SmsgwAttr.upstreamMessageId, upstreamId);
          await store?.put(canonicalUpstreamId(upstreamId, settings.submitIdBase), delivery.envelope);
          return upstreamId;
        }
        case 'transient':
          if (response.commandStatus === CommandStatus.ESME_RTHROTTLED) {
            metrics.throttled.inc();
            bucket.pause(settings.throttlePauseMs);
          }
          throw new UpstreamTransientError(
            `upstream answered ${commandStatusName(response.commandStatus)}`,
            response.commandStatus,
          );
        case 'try-next':
          throw new TryNextConnectorError(
            `upstream answered ${commandStatusName(response.commandStatus)}: try the next connector`,
            response.commandStatus,
          );
        case 'refused':
          throw new UpstreamRefusal(response.commandStatus, outcome.messageState, outcome.errorCode);
      }
    } catch (err) {
      if (!(err instanceof UpstreamRefusal)) recordError(span, err);
      if (err instanceof SmppError && !(err instanceof UpstreamRefusal)) {
        metrics.submits.inc({
          command_status: err instanceof SessionClosedError ? 'session_lost' : 'timeout',
        });
        throw new UpstreamTransientError(`submit_sm failed: ${err.message}`, err.commandStatus, {
          cause: err,
        });
      }
      throw err;
    } finally {
      outstanding.delete(request);
      span.end();
    }
  }

  return {
    kind: 'smpp',
    metrics,
    async start(context: DriverContext) {
      store = await options.openStore();
      intake = createReceiptIntake({ settings, store, context, metrics, logger: context.logger });
      const receipts = intake;
      pool = new SessionPool({
        settings,
        logger: context.logger,
        metrics,
        onRequest: (session, pdu) => {
          receipts.handle(session, pdu);
        },
      });
      pool.start();
      const sampled = pool;
      windowTimer = setInterval(() => {
        sampled.sampleWindowUse();
      }, 1_000);
      windowTimer.unref();
    },
    ready: () => pool?.ready ?? false,
    sessions: () => pool?.sessions ?? { bound: 0, configured: settings.sessions },
    async send(delivery) {
      let parts: SubmitSm[];
      try {
        const expiry = expiryMsOf(delivery.routed);
        parts = submitParts(delivery.submit, settings, expiry === undefined ? undefined : new Date(expiry));
      } catch (err) {
        // Text or parts the upstream can never take (too many parts, a coding that does not fit): final.
        const status = err instanceof SmppError ? err.commandStatus : CommandStatus.ESME_RSYSERR;
        await delivery.report({ messageState: MessageState.REJECTED, errorCode: refusalErrorCode(status) });
        return;
      }
      const ids: string[] = [];
      for (const pdu of parts) {
        try {
          ids.push(await submitPart(delivery, pdu));
        } catch (err) {
          if (!(err instanceof UpstreamRefusal)) throw err;
          await delivery.report({ messageState: err.messageState, errorCode: err.errorCode });
          return;
        }
      }
      await delivery.report({
        messageState: MessageState.ENROUTE,
        ...(ids[0] === undefined ? {} : { upstreamMessageId: ids[0] }),
      });
    },
    async close() {
      if (windowTimer !== undefined) clearInterval(windowTimer);
      // 1. Outstanding submit_sm_resp (a send abandoned by shutdown): their mapping must be stored.
      await Promise.allSettled([...outstanding]);
      // 2. Transmitters: nothing more to send.
      await pool?.stopTransmitters();
      // 3. Receipts being handled are answered, then the receiving sessions unbind last.
      await intake?.settled();
      await pool?.stopReceivers();
      await intake?.settled();
    },
  };
}
