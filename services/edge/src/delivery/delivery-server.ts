/**
 * The edge's EdgeDelivery gRPC server (DLR path, edge side): a dlr-dispatcher
 * opens a bidirectional Deliver stream and sends DeliverRequests; each one goes
 * as a deliver_sm to one bound receiver or transceiver OF THE REPORT'S ACCOUNT
 * on this pod (the one with the most free window, receiver-picker.ts) and is
 * answered with a DeliverResult once its outcome is known:
 *
 * - DELIVERED: the client answered deliver_sm_resp ESME_ROK (the only outcome the dispatcher may ack on);
 * - REJECTED: the client answered an error status (or generic_nack), carried in command_status;
 * - TIMEOUT: no answer within the response timeout;
 * - NO_RECEIVER: the account has no bound RX/TRX here, every one of their windows is full (a stalled
 *   client is not sent more), or the chosen session went away before answering — the dispatcher retries
 *   elsewhere or later;
 * - SHUTTING_DOWN: the pod is shutting down (from the intake phase on; presence is withdrawn then too).
 *
 * Results are written in completion order, not request order; delivery_id ties them together.
 * Each result is followed by a Credit for the report's account: the free
 * window of its receiving sessions on this pod right then. That is the flow
 * control of the stream: the dispatcher sends an account's reports to the pod
 * with the most credit, and to a pod with none only a probe at a time.
 * Batches (edge_delivery.proto): the server announces in its response metadata
 * that it reads DeliverRequest.batch, and answers a dispatcher that announced
 * the same with one DeliverBatch per event-loop turn (deliver-answers.ts).
 *
 * Tracing: each request is a SERVER span `smsgw.v1.EdgeDelivery/Deliver`,
 * parented on the context the report carries in its traceparent field (the
 * dispatcher's client span for this attempt: one stream carries many reports,
 * so gRPC metadata cannot), with the outcome; under it a CLIENT span
 * `deliver_sm` for the PDU sent to the client, with its sequence number and
 * the command_status of the client's deliver_sm_resp. So a DLR's delivery
 * shows in the trace of the submit it reports on.
 */
import { Server, ServerCredentials, type ServerDuplexStream } from '@grpc/grpc-js';
import { ROOT_CONTEXT, SpanKind, type Context, type Span } from '@opentelemetry/api';
import {
  DeliverOutcome,
  EdgeDelivery,
  addGrpcService,
  deliverBatchMetadata,
  deliverOutcomeLabel,
  readsDeliverBatches,
  type DeliverRequest,
  type DeliverResponse,
  type DeliveryReport,
  type EdgeDeliveryImplementation,
} from '@smsgw/proto';
import { componentLogger, type Logger } from '@smsgw/runtime';
import {
  CommandStatus,
  GenericNackError,
  ResponseTimeoutError,
  messageStateName,
  supportsTlvs,
} from '@smsgw/smpp';
import {
  SmppAttr,
  SmsgwAttr,
  contextWithSpan,
  extractFromFields,
  UNTRACED_SPAN,
  isTracingEnabled,
  recordCommandStatus,
  recordError,
  recordFailure,
  startDeliverServerSpan,
  startSmppSpan,
  tracerFor,
  withSpan,
} from '@smsgw/telemetry';
import { DeliverAnswers, type Outcome } from './deliver-answers.ts';
import { deliverSmOf, needsMessagePayload } from './deliver-sm.ts';
import type { DeliveryMetrics } from './delivery-metrics.ts';
import { accountFreeWindow, pickReceiver } from './receiver-picker.ts';
import type { BoundSession } from '../session/session-registry.ts';

/** Where the delivery server finds an account's bound sessions on this pod (the Edge). */
export interface ReceiverSource {
  /** The bound sessions of `systemId` (any bind type; the picker keeps receivers and transceivers). */
  boundSessionsOf(systemId: string): readonly BoundSession[];
}

/** Dependencies and settings of a DeliveryServer. */
export interface DeliveryServerOptions {
  readonly receivers: ReceiverSource;
  readonly metrics: DeliveryMetrics;
  readonly logger: Logger;
  /** How long a deliver_sm waits for the client's deliver_sm_resp (ms). */
  readonly responseTimeoutMs: number;
  /** On drain, how long the server waits for dispatchers to close their streams before cancelling them (ms; default 5000). */
  readonly closeTimeoutMs?: number;
  /** Whether to make spans (default: whether this process records any, isTracingEnabled). */
  readonly tracing?: boolean;
}

/** The metric series of one outcome. */
interface OutcomeMetrics {
  readonly deliveries: { inc(): void };
  readonly seconds: { observe(value: number): void };
}

type DeliverCall = ServerDuplexStream<DeliverRequest, DeliverResponse>;

/** The edge's tracer. */
const tracer = tracerFor('@smsgw/edge');

/** The deliver_sm's identity on its span (the sequence number is assigned when it is sent). */
function recordDeliverSm(span: Span, sequenceNumber: number, report: DeliveryReport): void {
  if (!span.isRecording()) return;
  if (sequenceNumber !== 0) span.setAttribute(SmppAttr.sequenceNumber, sequenceNumber);
  span.setAttribute(SmppAttr.messageId, report.receiptedMessageId);
  span.setAttribute(SmppAttr.dataCoding, report.dataCoding);
}

/** Records a request's outcome on its server span: failed unless DELIVERED. */
function recordOutcome(span: Span, result: Outcome): void {
  const label = deliverOutcomeLabel(result.outcome);
  span.setAttribute(SmsgwAttr.outcome, label);
  if (result.sessionId !== '') span.setAttribute(SmppAttr.sessionId, result.sessionId);
  if (result.outcome === DeliverOutcome.DELIVERED) return;
  if (result.outcome === DeliverOutcome.REJECTED) recordCommandStatus(span, result.commandStatus);
  else recordFailure(span, label, `not delivered: ${label}`);
}

/** Ends our side of a stream unless it is already ended or cancelled. */
function endCall(call: DeliverCall): void {
  if (!call.cancelled && !call.writableEnded) call.end();
}

/** The EdgeDelivery gRPC server. */
export class DeliveryServer {
  readonly #o: DeliveryServerOptions;
  readonly #log: Logger;
  readonly #server = new Server();
  /** The open streams, each with its answers (flushed before the edge ends the stream). */
  readonly #calls = new Map<DeliverCall, DeliverAnswers>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #byOutcome = new Map<DeliverOutcome, OutcomeMetrics>();
  readonly #traced: boolean;
  #accepting = true;
  #port: number | undefined;

  constructor(options: DeliveryServerOptions) {
    this.#o = options;
    this.#log = componentLogger(options.logger, 'edge-delivery');
    this.#traced = options.tracing ?? isTracingEnabled();
    const implementation: EdgeDeliveryImplementation = {
      deliver: (call) => {
        this.#onCall(call);
      },
    };
    addGrpcService(this.#server, EdgeDelivery, implementation);
  }

  /** Listens on host:port (insecure credentials: cluster-internal traffic) and resolves with the bound port. */
  async listen(port: number, host: string): Promise<number> {
    const bound = await new Promise<number>((resolve, reject) => {
      this.#server.bindAsync(`${host}:${String(port)}`, ServerCredentials.createInsecure(), (error, p) => {
        if (error === null) resolve(p);
        else reject(error);
      });
    });
    this.#port = bound;
    this.#log.info({ port: bound, host }, 'EdgeDelivery server started');
    return bound;
  }

  /** The listening port (after listen). */
  get port(): number | undefined {
    return this.#port;
  }

  /** Delivery requests waiting for their outcome. */
  get deliveriesInFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Shutdown, intake phase: new streams are refused, and new requests on open
   * streams are answered SHUTTING_DOWN. Deliveries already sent carry on.
   */
  stopIntake(): void {
    if (!this.#accepting) return;
    this.#accepting = false;
    // Refuses new calls; the callback fires once the open ones have ended (see drain).
    this.#server.tryShutdown(() => undefined);
    this.#log.info('EdgeDelivery intake stopped');
  }

  /**
   * Shutdown, drain phase: answers every delivery in flight (each bounded by
   * the response timeout), ends every stream, then cancels any stream the
   * dispatcher has not closed within closeTimeoutMs.
   */
  async drain(): Promise<void> {
    this.stopIntake();
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
    for (const [call, answers] of this.#calls) {
      answers.flush();
      endCall(call);
    }
    const closed = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(resolve, this.#o.closeTimeoutMs ?? 5_000, false);
      timer.unref();
      this.#server.tryShutdown(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!closed) this.#server.forceShutdown();
    this.#log.info({ forced: !closed }, 'EdgeDelivery server stopped');
  }

  /** Stops at once, cancelling open streams (tests, or after a failed drain). */
  close(): void {
    this.#accepting = false;
    this.#server.forceShutdown();
  }

  /** The metric series of one outcome, made once: labelling on every call hashes the label set each time. */
  #metricsOf(outcome: DeliverOutcome): OutcomeMetrics {
    let m = this.#byOutcome.get(outcome);
    if (m === undefined) {
      const labels = { outcome: deliverOutcomeLabel(outcome) };
      m = {
        deliveries: this.#o.metrics.deliveries.labels(labels),
        seconds: this.#o.metrics.deliverSeconds.labels(labels),
      };
      this.#byOutcome.set(outcome, m);
    }
    return m;
  }

  /** Read through a method: intake may have stopped while a deliver_sm was awaited. */
  #isAccepting(): boolean {
    return this.#accepting;
  }

  #onCall(call: DeliverCall): void {
    const peer = call.getPeer();
    if (!this.#accepting) {
      call.end();
      return;
    }
    const batched = readsDeliverBatches(call.metadata);
    const answers = new DeliverAnswers(call, batched, (systemId) =>
      accountFreeWindow(this.#o.receivers.boundSessionsOf(systemId)),
    );
    // Sent now rather than with the first answer: the dispatcher batches its requests from then on.
    call.sendMetadata(deliverBatchMetadata());
    this.#calls.set(call, answers);
    this.#o.metrics.streams.inc();
    this.#log.info({ peer, batched }, 'dispatcher stream opened');
    const pending = new Set<Promise<void>>();
    const finish = (): void => {
      if (!this.#calls.delete(call)) return;
      this.#o.metrics.streams.dec();
      this.#log.info({ peer }, 'dispatcher stream closed');
    };
    const take = (request: DeliverRequest): void => {
      // Every request up to the highest received holds its window slot (or was answered) by the time a
      // Credit is computed, so the dispatcher counts only the later ones against it.
      answers.received(request.deliveryId);
      const work = this.#deliver(request).then((result) => {
        this.#metricsOf(result.outcome).deliveries.inc();
        answers.answer(request.deliveryId, request.report?.systemId ?? '', result);
      });
      pending.add(work);
      this.#inFlight.add(work);
      void work.finally(() => {
        pending.delete(work);
        this.#inFlight.delete(work);
      });
    };
    call.on('data', (request: DeliverRequest) => {
      if (request.batch.length === 0) take(request);
      else for (const one of request.batch) take(one);
    });
    call.on('end', () => {
      // The dispatcher sends no more: answer what is outstanding, then close our side.
      void Promise.all(pending).then(() => {
        answers.flush();
        endCall(call);
      });
    });
    call.on('error', (error) => {
      this.#log.warn({ err: error, peer }, 'dispatcher stream failed');
    });
    call.on('cancelled', finish);
    call.on('close', finish);
    call.on('finish', finish);
  }

  /** Handles one request inside its server span (see the module comment); never rejects. */
  async #deliver(request: DeliverRequest): Promise<Outcome> {
    // Tracing off (no exporter): not even the no-op API calls, on a path taken once per report.
    if (!this.#traced) return await this.#deliverReport(request, undefined);
    const report = request.report;
    const parent = report === undefined ? ROOT_CONTEXT : extractFromFields(report);
    const span = startDeliverServerSpan(tracer, parent);
    if (span.isRecording() && report !== undefined) {
      span.setAttributes({
        [SmppAttr.systemId]: report.systemId,
        [SmppAttr.messageId]: report.messageId,
        [SmppAttr.messageState]: messageStateName(report.messageState) ?? String(report.messageState),
      });
    }
    try {
      const result = await withSpan(parent, span, () =>
        this.#deliverReport(request, contextWithSpan(parent, span)),
      );
      recordOutcome(span, result);
      return result;
    } finally {
      span.end();
    }
  }

  /** Sends the report to a receiver of its account and waits for the outcome (spans under `serving`, none when undefined); never rejects. */
  async #deliverReport(request: DeliverRequest, serving: Context | undefined): Promise<Outcome> {
    const report = request.report;
    if (!this.#accepting) return { outcome: DeliverOutcome.SHUTTING_DOWN, commandStatus: 0, sessionId: '' };
    if (report === undefined || report.systemId === '') {
      this.#log.warn({ deliveryId: request.deliveryId.toString() }, 'delivery request without a report');
      return { outcome: DeliverOutcome.REJECTED, commandStatus: CommandStatus.ESME_RSYSERR, sessionId: '' };
    }
    // Only this account's sessions are ever candidates: a client never sees another account's reports.
    // An MO too long for short_message goes only to a session that takes TLVs (SMPP 3.4): an SMPP 3.3 one
    // would get a TLV it cannot read and an empty short_message. With none, it waits in the backlog for one.
    const long = needsMessagePayload(report);
    const bound = pickReceiver(
      this.#o.receivers.boundSessionsOf(report.systemId),
      long ? (b) => supportsTlvs(b.interfaceVersion) : undefined,
    );
    if (bound === undefined) {
      if (long) this.#log.debug({ message_id: report.messageId }, 'long MO: no SMPP 3.4 receiver with room');
      return { outcome: DeliverOutcome.NO_RECEIVER, commandStatus: 0, sessionId: '' };
    }
    const { sessionId } = bound;
    const started = performance.now();
    const span =
      serving === undefined
        ? UNTRACED_SPAN
        : startSmppSpan(tracer, {
            command: 'deliver_sm',
            kind: SpanKind.CLIENT,
            parent: serving,
            systemId: report.systemId,
            sessionId,
          });
    const pdu = deliverSmOf(report, supportsTlvs(bound.interfaceVersion));
    let result: Outcome;
    try {
      const response = await bound.session.request(pdu, { timeout: this.#o.responseTimeoutMs });
      const status = response.commandStatus;
      recordCommandStatus(span, status);
      result = {
        outcome: status === CommandStatus.ESME_ROK ? DeliverOutcome.DELIVERED : DeliverOutcome.REJECTED,
        commandStatus: status,
        sessionId,
      };
    } catch (error) {
      if (error instanceof ResponseTimeoutError) {
        recordError(span, error, 'no deliver_sm_resp in time');
        result = { outcome: DeliverOutcome.TIMEOUT, commandStatus: 0, sessionId };
      } else if (error instanceof GenericNackError) {
        recordError(span, error, 'answered with generic_nack');
        result = { outcome: DeliverOutcome.REJECTED, commandStatus: error.commandStatus, sessionId };
      } else {
        // The session closed, unbound or filled up between the pick and the send: nobody received it.
        recordError(span, error, 'deliver_sm not sent');
        if (this.#log.isLevelEnabled('debug')) {
          this.#log.debug({ err: error, sessionId, message_id: report.messageId }, 'deliver_sm not sent');
        }
        result = {
          outcome: this.#isAccepting() ? DeliverOutcome.NO_RECEIVER : DeliverOutcome.SHUTTING_DOWN,
          commandStatus: 0,
          sessionId,
        };
      }
    } finally {
      recordDeliverSm(span, pdu.sequenceNumber, report);
      span.end();
    }
    this.#metricsOf(result.outcome).seconds.observe((performance.now() - started) / 1000);
    if (this.#log.isLevelEnabled('debug')) {
      this.#log.debug(
        {
          message_id: report.messageId,
          systemId: report.systemId,
          sessionId,
          outcome: deliverOutcomeLabel(result.outcome),
        },
        'deliver_sm outcome',
      );
    }
    return result;
  }
}
