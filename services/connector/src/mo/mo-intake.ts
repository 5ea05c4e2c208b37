/**
 * Mobile-originated messages from the network (docs/architecture.md, "An MO's
 * life"): a deliver_sm or data_sm that is not a receipt becomes a
 * MobileOriginated on `sms.mo.<account>` (SMS_MO) for the account that owns
 * its destination number, and only after the PubAck is the network answered
 * ESME_ROK: an MO the network was told we have is stored. A destination no
 * account owns is answered `unownedStatus` (CONNECTOR_MO_UNOWNED_COMMAND_STATUS, default
 * ESME_RINVDSTADR: a permanent error, so the SMSC does not resend it forever);
 * a number plan not loaded yet or a failed publish ESME_RX_T_APPN (the SMSC
 * tries again later).
 *
 * Tracing (docs/architecture.md invariant 6): every MO starts its own trace, a
 * SERVER span named by the command (`deliver_sm`, `data_sm`) until the answer,
 * with a PRODUCER span `publish sms.mo.{account}` whose context travels in the
 * NATS headers and in the MO's own trace fields, on to the client's
 * deliver_sm_resp.
 */
import { randomUUID } from 'node:crypto';
import { create, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { JetStreamClient } from '@nats-io/jetstream';
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { moSubject } from '@smsgw/nats';
import { MobileOriginatedSchema, type Address } from '@smsgw/proto';
import { nextTurn, type Logger } from '@smsgw/runtime';
import { CommandStatus, EsmClass, commandStatusName } from '@smsgw/smpp';
import {
  MessagingAttr,
  SmppAttr,
  SmsgwAttr,
  SubjectTemplate,
  contextWithSpan,
  injectIntoFields,
  injectIntoHeaders,
  recordCommandStatus,
  recordError,
  startPublishSpan,
  startSmppSpan,
  tracerFor,
} from '@smsgw/telemetry';
import type { MoMetrics } from './mo-metrics.ts';

const tracer = tracerFor('@smsgw/connector');

/** An MO as the network sent it: the fields of its deliver_sm or data_sm. */
export interface InboundMo {
  /** The PDU it came in (the span's name). */
  readonly command: 'deliver_sm' | 'data_sm';
  readonly source: Address;
  readonly destination: Address;
  readonly esmClass: number;
  readonly dataCoding: number;
  readonly protocolId: number;
  /** short_message, or the message_payload TLV's octets when it had one. */
  readonly shortMessage: Uint8Array;
}

/** What to answer the network, and what became of the MO. */
export interface MoResult {
  /** The deliver_sm_resp / data_sm_resp command_status. */
  readonly commandStatus: number;
  /** The MO's id when stored. */
  readonly moId?: string;
  /** The owning account, when one owns the destination. */
  readonly systemId?: string;
}

/** Takes MOs from a driver. */
export type MoReceiver = (mo: InboundMo) => Promise<MoResult>;

/** Who owns a number: the connector's NumberDirectory, or undefined while its plan is not loaded. */
export interface NumberOwners {
  ownerOf(addr: string): string | undefined;
}

/** Options of createMoReceiver. */
export interface MoIntakeOptions {
  readonly js: JetStreamClient;
  readonly connector: string;
  /** The number plan; undefined while it is not loaded (answered ESME_RX_T_APPN). */
  readonly owners: () => NumberOwners | undefined;
  /** The answer for a destination no account owns (CONNECTOR_MO_UNOWNED_COMMAND_STATUS). */
  readonly unownedStatus: number;
  readonly metrics: MoMetrics;
  readonly logger: Logger;
  /** The clock for received_at (tests fix it). */
  readonly now?: () => Date;
}

/** Creates the receiver every driver hands its MOs to. */
export function createMoReceiver(options: MoIntakeOptions): MoReceiver {
  const { js, connector, metrics, logger } = options;
  return async (mo) => {
    const startedAt = performance.now();
    const span = startSmppSpan(tracer, { command: mo.command, kind: SpanKind.SERVER, parent: ROOT_CONTEXT });
    const answer = (result: MoResult, outcome: string): MoResult => {
      recordCommandStatus(span, result.commandStatus);
      if (span.isRecording()) span.setAttribute(SmsgwAttr.outcome, outcome);
      span.end();
      metrics.received.inc({ outcome });
      metrics.intakeSeconds.observe((performance.now() - startedAt) / 1000);
      return result;
    };
    const owners = options.owners();
    if (owners === undefined) {
      logger.warn(
        { destination: mo.destination.addr },
        'MO before the number plan is loaded; answered ESME_RX_T_APPN',
      );
      return answer({ commandStatus: CommandStatus.ESME_RX_T_APPN }, 'not_ready');
    }
    const systemId = owners.ownerOf(mo.destination.addr);
    if (systemId === undefined) {
      logger.info(
        { destination: mo.destination.addr, command_status: commandStatusName(options.unownedStatus) },
        'MO to a number no account owns; refused',
      );
      return answer({ commandStatus: options.unownedStatus }, 'unowned');
    }
    const moId = randomUUID();
    if (span.isRecording()) {
      span.setAttributes({
        [SmppAttr.systemId]: systemId,
        [SmppAttr.messageId]: moId,
        [SmppAttr.dataCoding]: mo.dataCoding,
        [SmsgwAttr.connector]: connector,
      });
    }
    const subject = moSubject(systemId);
    const processing = contextWithSpan(ROOT_CONTEXT, span);
    const publishSpan = startPublishSpan(tracer, {
      subject,
      template: SubjectTemplate.mo,
      parent: processing,
      messageId: moId,
    });
    const publishing = contextWithSpan(processing, publishSpan);
    const message = create(MobileOriginatedSchema, {
      moId,
      systemId,
      connector,
      source: mo.source,
      destination: mo.destination,
      // Only the UDH indicator means anything to a client; the message type bits were the network's.
      esmClass: mo.esmClass & EsmClass.UDHI,
      dataCoding: mo.dataCoding,
      protocolId: mo.protocolId,
      shortMessage: mo.shortMessage,
      receivedAt: timestampFromDate(options.now?.() ?? new Date()),
    });
    injectIntoFields(publishing, message);
    const headers = injectIntoHeaders(publishing);
    const data = toBinary(MobileOriginatedSchema, message);
    if (publishSpan.isRecording()) publishSpan.setAttribute(MessagingAttr.bodySize, data.length);
    try {
      await nextTurn();
      await js.publish(subject, data, headers === undefined ? { msgID: moId } : { msgID: moId, headers });
    } catch (err) {
      recordError(publishSpan, err);
      publishSpan.end();
      logger.warn({ err, system_id: systemId }, 'MO not stored; answered ESME_RX_T_APPN for a resend');
      return answer({ commandStatus: CommandStatus.ESME_RX_T_APPN }, 'publish_failed');
    }
    publishSpan.end();
    logger.debug({ mo_id: moId, system_id: systemId }, 'MO stored');
    return answer({ commandStatus: CommandStatus.ESME_ROK, moId, systemId }, 'stored');
  };
}
