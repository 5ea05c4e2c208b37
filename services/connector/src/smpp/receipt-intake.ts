/**
 * Requests from the upstream SMSC on any receiving session: receipts become
 * status events, answered only once stored (README "Receipts"). A receipt
 * whose mapping is not stored yet (it overtook its submit_sm_resp) is looked
 * up again for CONNECTOR_SMPP_RECEIPT_WAIT; one for an id never seen is answered
 * ESME_ROK so the SMSC stops resending it, counted and logged. When the status
 * cannot be stored the receipt is answered ESME_RX_T_APPN: the SMSC resends
 * the receipt, the message is never sent again. A deliver_sm or data_sm that
 * is not a receipt is a mobile-originated message: handed to the connector's
 * MO intake (mo/mo-intake.ts) and answered what it says, ESME_ROK only once
 * the MO is stored.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { create } from '@bufbuild/protobuf';
import { AddressSchema, type MessageEnvelope } from '@smsgw/proto';
import type { Logger } from '@smsgw/runtime';
import {
  CommandStatus,
  isDeliveryReceipt,
  type DataSm,
  type DeliverSm,
  type InboundRequestPdu,
  type SmppSession,
} from '@smsgw/smpp';
import type { DriverContext } from '../driver.ts';
import type { InboundMo } from '../mo/mo-intake.ts';
import { receiptOf, type UpstreamReceipt } from './receipt-status.ts';
import type { SmppMetrics } from './smpp-metrics.ts';
import type { SmppSettings } from './smpp-settings.ts';
import { canonicalUpstreamId, receiptIdCandidates } from './upstream-id.ts';
import type { UpstreamIdStore } from './upstream-id-store.ts';

/** Pause between lookups of a receipt that came before its mapping. */
const LOOKUP_RETRY_MS = 100;

/** Options of createReceiptIntake. */
export interface ReceiptIntakeOptions {
  readonly settings: Pick<SmppSettings, 'submitIdBase' | 'receiptIdBase' | 'receiptWaitMs'>;
  readonly store: UpstreamIdStore;
  readonly context: DriverContext;
  readonly metrics: SmppMetrics;
  readonly logger: Logger;
}

/** Handles inbound requests; `settled()` resolves once every receipt taken so far was answered. */
export interface ReceiptIntake {
  handle(session: SmppSession, pdu: InboundRequestPdu): void;
  settled(): Promise<void>;
}

/** The keys a receipt's mapping may be stored under. */
function candidatesOf(receipt: UpstreamReceipt, settings: ReceiptIntakeOptions['settings']): string[] {
  return receipt.idSource === 'tlv'
    ? [canonicalUpstreamId(receipt.id, settings.submitIdBase)]
    : receiptIdCandidates(receipt.id, settings.receiptIdBase, settings.submitIdBase);
}

/** The MO fields of a deliver_sm or data_sm: message_payload when present, else short_message. */
export function inboundMoOf(pdu: DeliverSm | DataSm): InboundMo {
  const payload = pdu.tlvs.messagePayload;
  const shortMessage = pdu.command === 'deliver_sm' ? pdu.shortMessage : new Uint8Array(0);
  return {
    command: pdu.command,
    source: create(AddressSchema, { ton: pdu.sourceAddrTon, npi: pdu.sourceAddrNpi, addr: pdu.sourceAddr }),
    destination: create(AddressSchema, {
      ton: pdu.destAddrTon,
      npi: pdu.destAddrNpi,
      addr: pdu.destinationAddr,
    }),
    esmClass: pdu.esmClass,
    dataCoding: pdu.dataCoding,
    protocolId: pdu.command === 'deliver_sm' ? pdu.protocolId : 0,
    shortMessage: payload !== undefined && shortMessage.length === 0 ? payload : shortMessage,
  };
}

/** Creates the intake of one connector's upstream requests. */
export function createReceiptIntake(options: ReceiptIntakeOptions): ReceiptIntake {
  const { settings, store, context, metrics, logger } = options;
  const pending = new Set<Promise<void>>();

  async function lookUp(candidates: readonly string[]): Promise<MessageEnvelope | undefined> {
    const deadline = performance.now() + settings.receiptWaitMs;
    for (;;) {
      const envelope = await store.get(candidates);
      if (envelope !== undefined || performance.now() >= deadline) return envelope;
      await sleep(LOOKUP_RETRY_MS);
    }
  }

  async function onReceipt(
    session: SmppSession,
    pdu: DeliverSm | DataSm,
    receipt: UpstreamReceipt,
  ): Promise<void> {
    let status: number = CommandStatus.ESME_ROK;
    try {
      const envelope = await lookUp(candidatesOf(receipt, settings));
      if (envelope === undefined) {
        metrics.receipts.inc({ result: 'unmatched' });
        logger.warn(
          { upstream_message_id: receipt.id },
          'receipt for an unknown upstream id; answered ESME_ROK',
        );
      } else {
        await context.report(envelope, receipt.status);
        metrics.receipts.inc({ result: 'matched' });
      }
    } catch (err) {
      status = CommandStatus.ESME_RX_T_APPN;
      metrics.receipts.inc({ result: 'publish_failed' });
      logger.warn(
        { err, upstream_message_id: receipt.id },
        'receipt not stored; answered ESME_RX_T_APPN for a resend',
      );
    }
    // false when the session ended meanwhile: the SMSC resends the unanswered receipt.
    session.reply(pdu, status);
  }

  async function onMo(session: SmppSession, pdu: DeliverSm | DataSm): Promise<void> {
    metrics.mobileOriginated.inc();
    const result = await context.receiveMo(inboundMoOf(pdu));
    // false when the session ended meanwhile: the SMSC resends the unanswered MO.
    session.reply(pdu, result.commandStatus);
  }

  return {
    handle(session, pdu) {
      if (pdu.command !== 'deliver_sm' && pdu.command !== 'data_sm') {
        session.reject(pdu, CommandStatus.ESME_RINVCMDID);
        return;
      }
      const receipt = receiptOf(pdu);
      if (receipt === undefined && isDeliveryReceipt(pdu.esmClass)) {
        metrics.receipts.inc({ result: 'unmatched' });
        logger.warn({ source: pdu.sourceAddr }, 'receipt without an id; answered ESME_ROK');
        session.reply(pdu, CommandStatus.ESME_ROK);
        return;
      }
      const done = (receipt === undefined ? onMo(session, pdu) : onReceipt(session, pdu, receipt)).catch(
        (err: unknown) => {
          logger.error({ err }, 'answering a deliver_sm failed');
        },
      );
      pending.add(done);
      void done.finally(() => pending.delete(done));
    },
    async settled() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
