/**
 * The connector's worker: strict-priority lanes → the driver → status events.
 *
 * Tracing (docs/architecture.md invariant 6): each routed message taken off a lane is a
 * CONSUMER span `process sms.route.<connector>.<priority>`, parented on the
 * context its headers carry (else the one the edge stored in the submit), with
 * the outcome (handed_over, handed_on, expired, retry, malformed) and the last state the driver
 * reported; each status event is a PRODUCER span under it
 * (status-publisher.ts). Log lines written meanwhile carry its trace_id.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { timestampMs } from '@bufbuild/protobuf/wkt';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { Context, Span } from '@opentelemetry/api';
import {
  PRIORITIES,
  PriorityLanes,
  StreamName,
  Wakeup,
  connectorLaneConsumerName,
  type LaneSource,
  type Priority,
  type StallWatchContext,
  type Taken,
  retryDelayMs,
  type RetryPolicy,
} from '@smsgw/nats';
import { nextTurn } from '@smsgw/runtime';
import type { Logger } from '@smsgw/runtime';
import { CommandStatus, isFinalState, messageStateName } from '@smsgw/smpp';
import { MessageState, envelopeOf } from '@smsgw/proto';
import {
  SmppAttr,
  SmsgwAttr,
  extractFromFields,
  injectIntoFields,
  recordError,
  processMessage,
  tracerFor,
} from '@smsgw/telemetry';
import type { ConnectorMetrics } from './connector-metrics.ts';
import { HandedOver } from './handed-over.ts';
import { decodeRoutedMessage, type DecodedRoutedMessage } from './decode-routed.ts';
import type { Driver, DriverContext, StatusReport } from './driver.ts';
import type { MoReceiver } from './mo/mo-intake.ts';
import { ConnectorError, StatusPublishError, TryNextConnectorError } from './errors.ts';
import { VALIDITY_ENDED_ERROR_CODE, hasExpired } from './expiry.ts';

import { createStatusPublisher, type StatusPublisher, type StatusTarget } from './status-publisher.ts';
import { handedOn, publishHandedOn, tryNextExhaustedErrorCode } from './try-next.ts';

/** The connector's tracer. */
const tracer = tracerFor('@smsgw/connector');

/**
 * Attempts, after the first, at publishing an intermediate status that failed
 * after the network accepted its message (README "After the network
 * accepted"), with the retry policy's back-off: about three minutes with the
 * defaults (1 s doubling to 60 s), then it is given up (logged, counted).
 */
const STATUS_RETRY_ATTEMPTS = 8;

/** Options of startConnectorWorker. */
export interface ConnectorWorkerOptions {
  /** JetStream on the service's connection. */
  readonly js: JetStreamClient;
  /** The connector's name (CONNECTOR_NAME); its four lane consumers must exist (ensureTopology / ensureConnectorLanes). */
  readonly connector: string;
  /** Hands messages to the outside world. */
  readonly driver: Driver;
  readonly logger: Logger;
  readonly metrics: ConnectorMetrics;
  /** Messages with the driver at once, across all lanes. */
  readonly maxInFlight: number;
  /**
   * Of maxInFlight, the slots priority-0 messages may not take (default 0): a
   * message of a higher lane never waits for a slot that priority-0 work holds
   * (README.md, "Lanes and slots").
   */
  readonly reservedInFlight?: number;
  /** A lower lane gets one take in this many while it waits behind a busy higher one (0: strict; default 0). */
  readonly lowerLaneEvery?: number;
  /** Messages each lane pulls ahead (default maxInFlight). */
  readonly prefetch?: number;
  /** How long one pull waits on an empty lane (≥ 1 s). */
  readonly pullExpiresMs: number;
  /** The lanes' ack wait; waiting messages are touched every third of it. */
  readonly ackWaitMs: number;
  /** Back-off of failed messages. */
  readonly retry: RetryPolicy;
  /** Clock for status events' done_at and lane-wait metrics. */
  readonly now?: () => Date;
  /** Pause after a failed pull (default 1 s). */
  readonly pullRetryMs?: number;
  /** Where the driver's MOs go (mo/mo-intake.ts); absent: every MO is refused ESME_RINVDSTADR. */
  readonly receiveMo?: MoReceiver;
  /** When given, the lanes are watched for stranded messages (@smsgw/nats StallWatch). */
  readonly stallWatch?: StallWatchContext;
}

/** The MO receiver of a worker given none: no number is owned. */
const refuseMo: MoReceiver = () => Promise.resolve({ commandStatus: CommandStatus.ESME_RINVDSTADR });

/** A running connector worker. */
export interface ConnectorWorker {
  /** Stops pulling (shutdown's intake phase); what was already pulled is still handed over. */
  stopIntake(): void;
  /**
   * Stops pulling and resolves once the last pulls ended and every message
   * taken was handed over (acked) or given back (nak). When `signal` aborts
   * (shutdown out of time), gives up: buffered messages and in-flight sends
   * are nak'd at once for other replicas.
   */
  drain(signal?: AbortSignal): Promise<void>;
  /** Messages with the driver now. */
  readonly inFlight: number;
  /** Settles when the worker has stopped (after drain), rejecting only on a bug. */
  readonly done: Promise<void>;
}

/**
 * Starts consuming the connector's four lanes: by priority (PriorityLanes, with
 * the lower lanes' share), at most maxInFlight messages with the driver, of
 * which priority 0 may hold all but reservedInFlight, each routed message acked only
 * after its status events' PubAcks (inside driver.send) and nak'd with
 * exponential back-off when anything fails. A message that can never be
 * processed is terminated.
 */
export async function startConnectorWorker(options: ConnectorWorkerOptions): Promise<ConnectorWorker> {
  const sources = await Promise.all(
    PRIORITIES.map(async (priority): Promise<LaneSource> => {
      const consumer = await options.js.consumers.get(
        StreamName.route,
        connectorLaneConsumerName(options.connector, priority),
      );
      const info = await consumer.info(true);
      return { priority, consumer, pendingAtStart: info.num_pending };
    }),
  );
  const publisher = createStatusPublisher({
    js: options.js,
    connector: options.connector,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  // Statuses learned after a message left its lane (receipts, the sim's later answers) are traced from
  // the context its envelope keeps: the connector's processing span of that message.
  const context: DriverContext = {
    logger: options.logger,
    receiveMo: options.receiveMo ?? refuseMo,
    report: (envelope, status) =>
      reportStatus(options, publisher, { envelope, trace: extractFromFields(envelope) }, status),
  };
  await options.driver.start?.(context);
  return new Worker(options, sources, publisher);
}

/** Publishes one report and counts it. */
async function reportStatus(
  options: Pick<ConnectorWorkerOptions, 'metrics' | 'logger'>,
  publisher: StatusPublisher,
  target: StatusTarget,
  status: StatusReport,
): Promise<void> {
  const result = await publisher.publish(target, status);
  const state = stateLabel(status.messageState);
  options.metrics.statusEvents.inc({ state, result });
  options.logger.debug({ message_id: target.envelope.messageId, state, result }, 'status event');
}

const laneLabel = (priority: Priority): string => String(priority);
const stateLabel = (state: number): string => messageStateName(state) ?? String(state);

class Worker implements ConnectorWorker {
  readonly done: Promise<void>;
  readonly #options: ConnectorWorkerOptions;
  readonly #lanes: PriorityLanes;
  readonly #publisher: StatusPublisher;
  readonly #inFlight = new Set<JsMsg>();
  /** Intermediate statuses being published again on their own (after the network accepted their message). */
  readonly #retrying = new Set<Promise<void>>();
  /** Messages handed over lately: a redelivery of one (its ack was lost) is acked, not sent again. */
  readonly #handedOver: HandedOver;
  /** Ids of the messages being handed over now: a second copy of one waits until the first is done. */
  readonly #handingOver = new Set<string>();
  readonly #slotFreed = new Wakeup();
  readonly #abort = new AbortController();
  readonly #now: () => Date;
  readonly #touchTimer: NodeJS.Timeout;

  constructor(options: ConnectorWorkerOptions, sources: readonly LaneSource[], publisher: StatusPublisher) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    const { metrics } = options;
    this.#publisher = publisher;
    this.#handedOver = new HandedOver(2 * options.ackWaitMs);
    this.#lanes = new PriorityLanes({
      sources,
      prefetch: options.prefetch ?? options.maxInFlight,
      expiresMs: options.pullExpiresMs,
      logger: options.logger,
      lowerLaneEvery: options.lowerLaneEvery ?? 0,
      onBuffered: (priority, size) => {
        metrics.buffered.set({ lane: laneLabel(priority) }, size);
      },
      ...(options.pullRetryMs === undefined ? {} : { retryMs: options.pullRetryMs }),
      ...(options.stallWatch === undefined ? {} : { stallWatch: options.stallWatch }),
    });
    // Keeps every pulled message's ack wait from running out while it waits or is with the driver.
    this.#touchTimer = setInterval(
      () => {
        this.#touch();
      },
      Math.max(100, Math.floor(options.ackWaitMs / 3)),
    );
    this.#touchTimer.unref();
    this.#lanes.start();
    this.done = this.#run();
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  stopIntake(): void {
    this.#lanes.stopIntake();
  }

  async drain(signal?: AbortSignal): Promise<void> {
    this.stopIntake();
    const giveUp = (): void => {
      this.#abandon();
    };
    if (signal?.aborted === true) giveUp();
    else signal?.addEventListener('abort', giveUp, { once: true });
    try {
      await this.done;
      await this.#lanes.closed();
    } finally {
      signal?.removeEventListener('abort', giveUp);
    }
  }

  #abandon(): void {
    this.#options.logger.warn(
      { inFlight: this.#inFlight.size },
      'giving up: naking buffered and in-flight messages',
    );
    this.#lanes.abandon();
    this.#abort.abort(new ConnectorError('connector shutdown ran out of time'));
  }

  #touch(): void {
    this.#lanes.touch();
    for (const message of this.#inFlight) message.working();
  }

  async #run(): Promise<void> {
    const { maxInFlight } = this.#options;
    // Priority 0 stops short of the reserved slots; higher lanes may use every slot.
    const lowestLaneLimit = maxInFlight - Math.min(this.#options.reservedInFlight ?? 0, maxInFlight - 1);
    const mayServe = (priority: Priority): boolean => priority > 0 || this.#inFlight.size < lowestLaneLimit;
    try {
      for (;;) {
        while (this.#inFlight.size >= maxInFlight) await this.#slotFreed.wait();
        const next = this.#lanes.take(mayServe);
        if (next !== undefined) {
          this.#dispatch(next);
          continue;
        }
        if (this.#lanes.finished) break;
        // A lane changed, or a slot was freed (priority 0 may be waiting for one below its limit).
        await Promise.race([this.#lanes.changed(), this.#slotFreed.wait()]);
      }
      while (this.#inFlight.size > 0) await this.#slotFreed.wait();
      // Bounded by their attempts, and cut short when shutdown runs out of time (#abort).
      await Promise.all(this.#retrying);
    } finally {
      clearInterval(this.#touchTimer);
    }
  }

  #dispatch({ message, priority }: Taken): void {
    const { metrics } = this.#options;
    this.#inFlight.add(message);
    metrics.inFlight.set(this.#inFlight.size);
    void this.#process(message, priority).finally(() => {
      this.#inFlight.delete(message);
      metrics.inFlight.set(this.#inFlight.size);
      this.#slotFreed.notify();
    });
  }

  /** Hands one message to the driver inside its processing span; never rejects: every outcome ends in ack, nak or term. */
  async #process(message: JsMsg, priority: Priority): Promise<void> {
    let routed: DecodedRoutedMessage | undefined;
    let malformed: unknown;
    try {
      routed = decodeRoutedMessage(message.data);
    } catch (err) {
      malformed = err;
    }
    // The message's trace: the lane message's headers (the router's publish), else the submit's own fields.
    await processMessage(
      tracer,
      message,
      {
        consumer: connectorLaneConsumerName(this.#options.connector, priority),
        stream: StreamName.route,
        fallback: routed?.submit,
      },
      (processing, span) =>
        routed === undefined
          ? this.#terminate(message, priority, span, malformed)
          : this.#handOver(message, priority, routed, processing, span),
    );
  }

  #terminate(message: JsMsg, priority: Priority, span: Span, err: unknown): 'malformed' {
    const lane = laneLabel(priority);
    recordError(span, err, 'malformed routed message: terminated');
    message.term();
    this.#options.metrics.failed.inc({ lane, reason: 'malformed' });
    this.#options.logger.error({ err, lane, streamSeq: message.seq }, 'malformed routed message; terminated');
    return 'malformed';
  }

  async #handOver(
    message: JsMsg,
    priority: Priority,
    routed: DecodedRoutedMessage,
    processing: Context,
    span: Span,
  ): Promise<'handed_over' | 'handed_on' | 'expired' | 'retry'> {
    const { metrics, retry } = this.#options;
    const lane = laneLabel(priority);
    const startedAt = performance.now();
    if (message.redelivered) metrics.redelivered.inc({ lane });
    const messageId = routed.submit.messageId;
    // Not only redeliveries: after a consumer leader change NATS 2.9 was seen delivering a message it had
    // delivered already with its delivery count back at 1, and a stream can hold a second copy when its
    // duplicate window missed one across a leader change (docs/operations.md, "Messages seen twice").
    if (this.#handedOver.has(messageId)) return await this.#ackAgain(message, lane, span, messageId);
    if (this.#handingOver.has(messageId)) {
      // Its other copy is with the driver now: this one comes back once that one is done, and is acked then.
      message.nak(retryDelayMs(retry, message.info.deliveryCount));
      metrics.failed.inc({ lane, reason: 'in_progress' });
      return 'retry';
    }
    this.#handingOver.add(messageId);
    try {
      return await this.#send(message, priority, routed, processing, span, startedAt);
    } finally {
      this.#handingOver.delete(messageId);
    }
  }

  /** Hands a message over to the driver (or the next connector) and settles it. */
  async #send(
    message: JsMsg,
    priority: Priority,
    routed: DecodedRoutedMessage,
    processing: Context,
    span: Span,
    startedAt: number,
  ): Promise<'handed_over' | 'handed_on' | 'expired' | 'retry'> {
    const { metrics, logger, driver, retry } = this.#options;
    const lane = laneLabel(priority);
    const deliveryCount = message.info.deliveryCount;
    const { submit } = routed;
    const messageId = submit.messageId;
    if (span.isRecording()) {
      span.setAttributes({
        [SmppAttr.messageId]: messageId,
        [SmppAttr.systemId]: submit.systemId,
        [SmsgwAttr.connector]: this.#options.connector,
        [SmsgwAttr.priorityEffective]: priority,
        [SmsgwAttr.route]: routed.routeId,
      });
    }
    if (routed.routedAt !== undefined) {
      const waited = (this.#now().getTime() - timestampMs(routed.routedAt)) / 1000;
      metrics.laneWait.observe({ lane }, Math.max(0, waited));
    }
    // The envelope keeps this span's context: a status reported later (a receipt) continues the trace here.
    const envelope = envelopeOf(submit, priority);
    injectIntoFields(processing, envelope);
    const target: StatusTarget = { envelope, trace: processing };
    if (hasExpired(routed, this.#now().getTime())) {
      return await this.#expire(message, lane, target, span).catch((err: unknown) => {
        message.nak(retryDelayMs(retry, deliveryCount));
        recordError(span, err, 'EXPIRED status not stored: nak for a retry');
        metrics.failed.inc({ lane, reason: 'publish' });
        logger.warn(
          { err, message_id: messageId, lane, deliveryCount },
          'expired message failed; retrying later',
        );
        return 'retry' as const;
      });
    }
    // Set by the driver once the network has the message: from then on it is never sent again (driver.ts).
    const network = { accepted: false };
    try {
      let outcome: 'handed_over' | 'handed_on' = 'handed_over';
      try {
        await driver.send({
          submit,
          routed,
          priority,
          envelope,
          signal: this.#abort.signal,
          accepted: () => {
            network.accepted = true;
          },
          report: async (status) => {
            span.setAttribute(SmppAttr.messageState, stateLabel(status.messageState));
            try {
              await this.#report(target, status);
            } catch (err) {
              if (!network.accepted || isFinalState(status.messageState)) throw err;
              // Never a reason to send the message again: published again on its own.
              this.#keepReporting(target, status, err);
            }
          },
        });
      } catch (err) {
        if (!(err instanceof TryNextConnectorError)) throw err;
        outcome = await this.#tryNext(routed, priority, target, span, err);
      }
      // With the other hand-overs of this turn: their acks share one write (@smsgw/runtime nextTurn).
      await nextTurn();
      message.ack();
      this.#handedOver.add(messageId);
      metrics.processed.inc({ lane });
      metrics.duration.observe({ lane }, (performance.now() - startedAt) / 1000);
      logger.debug({ message_id: messageId, lane, deliveryCount, outcome }, 'message handed over');
      return outcome;
    } catch (err) {
      if (network.accepted) return await this.#acceptedButFailed(message, lane, span, err, messageId);
      const aborted = this.#abort.signal.aborted;
      const retryInMs = aborted ? 0 : retryDelayMs(retry, deliveryCount);
      message.nak(retryInMs);
      const reason = err instanceof StatusPublishError ? 'publish' : aborted ? 'aborted' : 'driver';
      span.setAttribute(SmsgwAttr.step, reason);
      recordError(span, err, `hand-over failed (${reason}): nak for a retry`);
      metrics.failed.inc({ lane, reason });
      logger.warn(
        { err, message_id: messageId, lane, deliveryCount, retryInMs, reason },
        'message failed; retrying later',
      );
      return 'retry';
    }
  }

  /**
   * The driver refused with a "try next" status: hand the message on to the route's next connector
   * (README.md, "Try next"), or with none left report it REJECTED. Resolves once that is stored, so the
   * caller acks; rejects (a failed publish) for a nak and a retry, which hands on under the same id.
   */
  async #tryNext(
    routed: DecodedRoutedMessage,
    priority: Priority,
    target: StatusTarget,
    span: Span,
    refusal: TryNextConnectorError,
  ): Promise<'handed_over' | 'handed_on'> {
    const { metrics, logger, js } = this.#options;
    const messageId = routed.submit.messageId;
    const next = handedOn(routed);
    const fields = { message_id: messageId, command_status: refusal.commandStatus, err: refusal };
    if (next === undefined) {
      const errorCode = tryNextExhaustedErrorCode(refusal.commandStatus);
      span.setAttribute(SmppAttr.messageState, stateLabel(MessageState.REJECTED));
      await this.#report(target, { messageState: MessageState.REJECTED, errorCode });
      metrics.tryNext.inc({ result: 'exhausted', to: '' });
      logger.info(
        { ...fields, error_code: errorCode },
        'refused with a try-next status, no connector left: rejected',
      );
      return 'handed_over';
    }
    // Under the processing span: the next connector's processing continues this trace.
    await publishHandedOn(js, next, messageId, priority, target.trace);
    metrics.tryNext.inc({ result: 'handed_on', to: next.connector });
    logger.info(
      { ...fields, to: next.connector },
      'refused with a try-next status: handed on to the next connector',
    );
    return 'handed_on';
  }

  /** The message's validity ended while it waited: reported EXPIRED and acked, never sent (README "Message validity"). */
  async #expire(message: JsMsg, lane: string, target: StatusTarget, span: Span): Promise<'expired'> {
    span.setAttribute(SmppAttr.messageState, stateLabel(MessageState.EXPIRED));
    await this.#report(target, { messageState: MessageState.EXPIRED, errorCode: VALIDITY_ENDED_ERROR_CODE });
    await nextTurn();
    message.ack();
    this.#options.metrics.expired.inc({ lane });
    this.#options.logger.info(
      { message_id: target.envelope.messageId, lane },
      'validity period ended before the message was sent: expired',
    );
    return 'expired';
  }

  #report(target: StatusTarget, status: StatusReport): Promise<void> {
    return reportStatus(this.#options, this.#publisher, target, status);
  }

  /**
   * The driver failed after the network accepted the message: sending it again would deliver it twice
   * (README "After the network accepted"), so it leaves its lane all the same. What the driver still
   * owed (a final status it could not store) is the driver's to keep; this is logged as an error.
   */
  async #acceptedButFailed(
    message: JsMsg,
    lane: string,
    span: Span,
    err: unknown,
    messageId: string,
  ): Promise<'handed_over'> {
    span.setAttribute(SmsgwAttr.step, 'after_accept');
    recordError(span, err, 'failed after the network accepted the message: acked, not sent again');
    await nextTurn();
    message.ack();
    this.#handedOver.add(messageId);
    this.#options.metrics.failed.inc({ lane, reason: 'after_accept' });
    this.#options.logger.error(
      { err, message_id: messageId, lane },
      'driver failed after the network accepted the message; acked, not sent again',
    );
    return 'handed_over';
  }

  /** A message this replica handed over lately, delivered again (its ack was lost) or a second copy: acked, never sent twice. */
  async #ackAgain(message: JsMsg, lane: string, span: Span, messageId: string): Promise<'handed_over'> {
    span.setAttribute(SmsgwAttr.step, 'already_handed_over');
    await nextTurn();
    message.ack();
    this.#options.metrics.alreadyHandedOver.inc({ lane });
    this.#options.logger.info(
      { message_id: messageId, lane, deliveryCount: message.info.deliveryCount },
      'message was handed over already (a lost ack, or a second copy): acked again, not sent',
    );
    return 'handed_over';
  }

  /** Publishes an intermediate status again with back-off, on its own, until stored or STATUS_RETRY_ATTEMPTS run out. */
  #keepReporting(target: StatusTarget, status: StatusReport, first: unknown): void {
    const { logger, metrics, retry } = this.#options;
    const messageId = target.envelope.messageId;
    const state = stateLabel(status.messageState);
    logger.warn(
      { err: first, message_id: messageId, state },
      'status publish failed after the network accepted the message; retrying it on its own',
    );
    const job = (async (): Promise<void> => {
      let last = first;
      for (let attempt = 1; attempt <= STATUS_RETRY_ATTEMPTS; attempt++) {
        try {
          await sleep(retryDelayMs(retry, attempt), undefined, { signal: this.#abort.signal });
        } catch {
          // Shutdown ran out of time (#abort): give up below, like after the last attempt.
          break;
        }
        try {
          await this.#report(target, status);
          return;
        } catch (err) {
          last = err;
        }
      }
      metrics.statusEvents.inc({ state, result: 'given_up' });
      logger.error({ err: last, message_id: messageId, state }, 'status publish given up');
    })();
    this.#retrying.add(job);
    void job.finally(() => this.#retrying.delete(job));
  }
}
