/**
 * `smsgw mo`: a handset of the `sim` network sends an SMS to a number an
 * account owns. The CLI asks the sim connector on `sms.sim-mo.<connector>`
 * (core NATS request/reply) and prints what the connector answered the
 * "network": ESME_ROK with the MO's id once stored, else the refusal.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { simMoSubject } from '@smsgw/nats';
import { CommandStatus, EsmClass, commandStatusName } from '@smsgw/smpp';
import { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import { println, type CliIo } from '../cli-io.ts';
import { natsUrlOf, withNats } from '../nats-connection.ts';
import { CODING_NAMES, encodeMessage, parseCoding, type CodingName } from '../send/coding.ts';
import { integerIn } from '../option-parsers.ts';

interface MoOptions {
  from: string;
  to: string;
  coding: CodingName | number;
  udh?: string;
  connector: string;
  natsUrl?: string;
  timeout: number;
}

/** The `mo` command, writing to `io`. */
export function moCommand(io: CliIo): Command {
  return new Command('mo')
    .description('originate an MO on the sim network: a handset texts a number an account owns')
    .requiredOption('--from <msisdn>', 'the handset (TON 1 / NPI 1)')
    .requiredOption('--to <number>', 'the number an account owns (TON 1 / NPI 1; a short code: TON 3)')
    .option(`--coding <coding>`, `${CODING_NAMES.join(', ')} or a data_coding number`, parseCoding, 'auto')
    .option('--udh <hex>', 'a user data header to put before the text (esm_class UDHI), e.g. 050003010201')
    .option('--connector <name>', 'the sim connector (CONNECTOR_NAME)', 'sim')
    .option('--timeout <ms>', 'how long to wait for the connector', integerIn(1, 600_000), 5_000)
    .option('--nats-url <url>', 'NATS server(s) (default: $NATS_URL or nats://127.0.0.1:4222)')
    .argument('<text>', 'the message')
    .action(async (text: string, opts: MoOptions) => {
      // Loaded here, not at start: @smsgw/proto brings grpc-js, which every other command would pay for.
      const { SimMoReplySchema, SimMoRequestSchema } = await import('@smsgw/proto');
      const { dataCoding, payload } = encodeMessage({ text }, opts.coding, false);
      const udh = opts.udh === undefined ? new Uint8Array(0) : Buffer.from(opts.udh, 'hex');
      const digits = /^\d+$/;
      const request = create(SimMoRequestSchema, {
        source: { ton: digits.test(opts.from) ? 1 : 5, npi: digits.test(opts.from) ? 1 : 0, addr: opts.from },
        destination: { ton: opts.to.length <= 8 ? 3 : 1, npi: opts.to.length <= 8 ? 0 : 1, addr: opts.to },
        esmClass: udh.length > 0 ? EsmClass.UDHI : 0,
        dataCoding,
        shortMessage: Uint8Array.from([...udh, ...payload]),
      });
      const reply = await withNats(natsUrlOf(opts.natsUrl, io.env), async (nc) => {
        try {
          const msg = await nc.request(simMoSubject(opts.connector), toBinary(SimMoRequestSchema, request), {
            timeout: opts.timeout,
          });
          return fromBinary(SimMoReplySchema, msg.data);
        } catch (err) {
          throw new CliError(
            `no sim connector ${JSON.stringify(opts.connector)} answered (is it running with CONNECTOR_DRIVER=sim?)`,
            1,
            { cause: err },
          );
        }
      });
      if (reply.commandStatus !== CommandStatus.ESME_ROK) {
        throw new CliError(`the connector refused the MO: ${commandStatusName(reply.commandStatus)}`, 1);
      }
      println(io, `MO ${reply.moId} stored for ${reply.systemId} (data_coding ${dataCoding})`);
    });
}
