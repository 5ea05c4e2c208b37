/**
 * The `sim` network's handsets: `smsgw mo` asks a `sim` connector on
 * `sms.sim-mo.<connector>` (core NATS request/reply, one replica answers: a
 * queue group) to originate an MO as if the simulated network had sent a
 * deliver_sm, and gets back what the network would have been answered in
 * deliver_sm_resp (docs/architecture.md, "An MO's life").
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { simMoSubject } from '@smsgw/nats';
import { AddressSchema, SimMoReplySchema, SimMoRequestSchema, type SimMoRequest } from '@smsgw/proto';
import type { Logger } from '@smsgw/runtime';
import { CommandStatus } from '@smsgw/smpp';
import type { MoReceiver } from '../mo/mo-intake.ts';

/** The queue group the replicas of one sim connector share. */
const QUEUE = 'sim-mo';

/** Options of startSimMoListener. */
export interface SimMoListenerOptions {
  readonly nc: NatsConnection;
  readonly connector: string;
  readonly receiveMo: MoReceiver;
  readonly logger: Logger;
}

/** Answers `smsgw mo` requests until stop(). */
export interface SimMoListener {
  stop(): Promise<void>;
}

/** Subscribes to `sms.sim-mo.<connector>`. */
export function startSimMoListener(options: SimMoListenerOptions): SimMoListener {
  const { nc, logger } = options;
  const sub: Subscription = nc.subscribe(simMoSubject(options.connector), {
    queue: QUEUE,
    callback: (err, msg) => {
      if (err !== null) {
        logger.warn({ err }, 'sim MO subscription failed');
        return;
      }
      let request: SimMoRequest;
      try {
        request = fromBinary(SimMoRequestSchema, msg.data);
      } catch (error) {
        logger.warn({ err: error }, 'undecodable sim MO request');
        msg.respond(
          toBinary(SimMoReplySchema, create(SimMoReplySchema, { commandStatus: CommandStatus.ESME_RSYSERR })),
        );
        return;
      }
      void options
        .receiveMo({
          command: 'deliver_sm',
          source: request.source ?? create(AddressSchema),
          destination: request.destination ?? create(AddressSchema),
          esmClass: request.esmClass,
          dataCoding: request.dataCoding,
          protocolId: 0,
          shortMessage: request.shortMessage,
        })
        .then((result) => {
          msg.respond(
            toBinary(
              SimMoReplySchema,
              create(SimMoReplySchema, {
                commandStatus: result.commandStatus,
                moId: result.moId ?? '',
                systemId: result.systemId ?? '',
              }),
            ),
          );
        })
        .catch((error: unknown) => {
          logger.warn({ err: error }, 'could not answer a sim MO request');
        });
    },
  });
  return {
    async stop() {
      await sub.drain();
    },
  };
}
