/**
 * Handles one MO from SMS_MO (docs/architecture.md, "An MO's life"): decode,
 * turn it into a report (build-mo-report.ts), deliver it directly when its
 * account has a receiver with room (now, or after a short hold in the
 * account's room queue: delivery-pusher.ts), else store it
 * in the account's priority-0 backlog (sms.dlr.<account>, Nats-Msg-Id = MO
 * id), where it waits under the same per-account cap and age as the DLRs;
 * only then ack. The status stage's path, with an MO in place of a status
 * event: the backlog's pump, the pushes and the edge take it from there.
 *
 * Tracing: a CONSUMER span `process sms.mo.{account}` parented on the
 * connector's publish (headers, else the MO's own fields); the direct
 * attempt's CLIENT span and the backlog publish span below it.
 */
import { timestampMs } from '@bufbuild/protobuf/wkt';
import type { JetStreamClient, JsMsg, PubAck } from '@nats-io/jetstream';
import type { Context, Span } from '@opentelemetry/api';
import { ackMessage, retryLater, terminatePoison, type RetryPolicy, type Settler } from '@smsgw/nats';
import type { DeliveryReport, MobileOriginated } from '@smsgw/proto';
import { nextTurn, type Logger } from '@smsgw/runtime';
import { SmppAttr, SubjectTemplate, processMessage, recordError, tracerFor } from '@smsgw/telemetry';
import { buildMoReport, decodeMo } from './build-mo-report.ts';
import type { DirectDelivery } from './delivery-pusher.ts';
import type { DispatcherMetrics } from './metrics.ts';
import { publishReport } from './publish-report.ts';

const tracer = tracerFor('@smsgw/dlr-dispatcher');

/** What handleMo works with. */
export interface MoHandlerDeps {
  readonly js: JetStreamClient;
  readonly logger: Logger;
  readonly metrics: DispatcherMetrics;
  readonly retry: RetryPolicy;
  /** Delivers at once when the account has a receiver with room; absent: always the backlog. */
  readonly direct?: DirectDelivery;
  /** The clock (the report's created_at). */
  readonly now?: () => Date;
}

/** How one delivery of an MO ended. */
export type MoOutcome = 'delivered' | 'stored' | 'retry' | 'poison';

/** What the MO handler's settles are called in log lines (@smsgw/nats settle.ts). */
function settler(deps: MoHandlerDeps): Settler {
  return { logger: deps.logger, kind: 'MO' };
}

/** Handles one delivered MO and settles it (ack, nak or term). Never rejects. */
export async function handleMo(m: JsMsg, deps: MoHandlerDeps): Promise<MoOutcome> {
  const startedAt = performance.now();
  const startTime = Date.now();
  let mo: MobileOriginated | undefined;
  let poison: unknown;
  try {
    mo = decodeMo(m.data);
  } catch (error) {
    poison = error;
  }
  return processMessage(
    tracer,
    m,
    {
      template: SubjectTemplate.mo,
      consumer: m.info.consumer,
      stream: m.info.stream,
      startTime,
      fallback: mo,
    },
    async (processing, span) => {
      const outcome =
        mo === undefined
          ? terminate(m, deps, span, poison)
          : await deliverOrStore(m, deps, mo, processing, span);
      deps.metrics.mos.inc({ outcome });
      deps.metrics.handleSeconds.observe((performance.now() - startedAt) / 1000);
      return outcome;
    },
  );
}

function terminate(m: JsMsg, deps: MoHandlerDeps, span: Span, error: unknown): MoOutcome {
  recordError(span, error, 'poison MO: terminated');
  terminatePoison(m, settler(deps), {}, error, 'poison MO: terminating it');
  return 'poison';
}

async function deliverOrStore(
  m: JsMsg,
  deps: MoHandlerDeps,
  mo: MobileOriginated,
  processing: Context,
  span: Span,
): Promise<MoOutcome> {
  if (span.isRecording()) {
    span.setAttributes({ [SmppAttr.messageId]: mo.moId, [SmppAttr.systemId]: mo.systemId });
  }
  const report: DeliveryReport = buildMoReport(mo, deps.now?.() ?? new Date());
  const delivered =
    deps.direct !== undefined &&
    (await deps.direct.tryDeliver(report, span.isRecording() ? processing : undefined));
  let pubAck: PubAck | undefined;
  if (delivered) {
    if (report.createdAt !== undefined) {
      deps.metrics.deliverySeconds.observe(Math.max(0, Date.now() - timestampMs(report.createdAt)) / 1000);
    }
  } else {
    try {
      // MOs share the account's priority-0 backlog, its cap and age (docs/architecture.md, "An MO's life").
      pubAck = await publishReport(deps.js, processing, report, 0);
    } catch (error) {
      recordError(span, error, 'MO not stored: nak for a retry');
      retryLater(m, settler(deps), deps.retry, { mo_id: mo.moId }, error, 'MO not stored; nak with delay');
      return 'retry';
    }
  }
  // Delivered or stored: now, and only now, the MO may leave SMS_MO.
  await nextTurn();
  ackMessage(m, settler(deps), { mo_id: mo.moId });
  if (pubAck?.duplicate === true) deps.metrics.duplicates.inc();
  deps.logger.debug(
    { mo_id: mo.moId, system_id: mo.systemId, delivered },
    delivered ? 'MO delivered' : 'MO stored',
  );
  return delivered ? 'delivered' : 'stored';
}
