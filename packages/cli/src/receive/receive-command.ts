/**
 * `smsgw receive`: binds as a receiver (or transceiver) and prints every
 * deliver_sm as it comes, delivery receipts and mobile-originated messages
 * alike, answering each ESME_ROK (README.md, "Mobile-originated messages").
 * One line each: kind, source, destination, data_coding, esm_class, the UDH's
 * part numbers when there is one, and the text (or hex); --json for scripts.
 */
import {
  connectSmpp,
  CommandStatus,
  decodeText,
  hasUdhi,
  isDeliveryReceipt,
  parseUdh,
  type DeliverSm,
} from '@smsgw/smpp';
import { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import { println, type CliIo } from '../cli-io.ts';
import { durationMs, integerIn } from '../option-parsers.ts';
import { readPassword } from '../password-input.ts';

interface ReceiveOptions {
  host: string;
  port: number;
  systemId: string;
  password?: string;
  transceiver?: boolean;
  count?: number;
  timeout?: number;
  json?: boolean;
}

/** What one deliver_sm says, for printing. */
export interface ReceivedLine {
  readonly kind: 'dlr' | 'mo';
  readonly from: string;
  readonly to: string;
  readonly dataCoding: number;
  readonly esmClass: number;
  /** `2/3` for a concatenated part. */
  readonly part?: string;
  readonly text: string;
  readonly hex: string;
}

/** Describes one deliver_sm. */
export function receivedLineOf(pdu: DeliverSm): ReceivedLine {
  let body = pdu.shortMessage.length > 0 ? pdu.shortMessage : (pdu.tlvs.messagePayload ?? new Uint8Array(0));
  let part: string | undefined;
  if (hasUdhi(pdu.esmClass)) {
    try {
      const udh = parseUdh(body);
      body = udh.payload;
      if (udh.concat !== undefined) part = `${udh.concat.sequence}/${udh.concat.total}`;
    } catch {
      // A malformed header: shown as it is, in hex.
    }
  }
  let text: string;
  try {
    text = decodeText(body, pdu.dataCoding);
  } catch {
    text = '';
  }
  return {
    kind: isDeliveryReceipt(pdu.esmClass) ? 'dlr' : 'mo',
    from: pdu.sourceAddr,
    to: pdu.destinationAddr,
    dataCoding: pdu.dataCoding,
    esmClass: pdu.esmClass,
    ...(part === undefined ? {} : { part }),
    text,
    hex: Buffer.from(pdu.shortMessage.length > 0 ? pdu.shortMessage : body).toString('hex'),
  };
}

/** The `receive` command, writing to `io`. */
export function receiveCommand(io: CliIo): Command {
  return new Command('receive')
    .description('bind as a receiver and print every deliver_sm (delivery receipts and MOs) as it comes')
    .option('--host <host>', 'SMPP server', '127.0.0.1')
    .option('--port <port>', 'SMPP port', integerIn(1, 65_535), 2775)
    .requiredOption('--system-id <id>', 'SMPP system_id (the account)')
    .option('--password <password>', 'SMPP password (default: prompt, or the first line of stdin)')
    .option('--transceiver', 'bind as a transceiver instead of a receiver')
    .option('--count <n>', 'exit after this many deliver_sm', integerIn(1, 100_000_000))
    .option('--timeout <duration>', 'exit after this long (e.g. 30s)', durationMs)
    .option('--json', 'one JSON object per line')
    .action(async (opts: ReceiveOptions) => {
      const password = await readPassword(io, opts.password);
      const session = await connectSmpp({ host: opts.host, port: opts.port }).catch((err: unknown) => {
        throw new CliError(`cannot connect to ${opts.host}:${opts.port}: ${String(err)}`, 1, { cause: err });
      });
      let received = 0;
      const done = new Promise<void>((resolve) => {
        session.on('request', (pdu) => {
          if (pdu.command !== 'deliver_sm') {
            session.reject(pdu, CommandStatus.ESME_RINVCMDID);
            return;
          }
          session.reply(pdu, CommandStatus.ESME_ROK, { messageId: '' });
          const line = receivedLineOf(pdu);
          println(
            io,
            opts.json === true
              ? JSON.stringify(line)
              : `${line.kind.toUpperCase()} from ${line.from} to ${line.to} data_coding ${line.dataCoding} esm_class 0x${line.esmClass.toString(16).padStart(2, '0')}${line.part === undefined ? '' : ` part ${line.part}`}: ${line.text === '' ? `hex ${line.hex}` : line.text}`,
          );
          received++;
          if (opts.count !== undefined && received >= opts.count) resolve();
        });
        if (opts.timeout !== undefined) setTimeout(resolve, opts.timeout).unref();
        process.once('SIGINT', () => {
          resolve();
        });
      });
      try {
        await session.bind(opts.transceiver === true ? 'transceiver' : 'receiver', {
          systemId: opts.systemId,
          password,
          systemType: '',
        });
      } catch (err) {
        session.close();
        throw new CliError(`bind refused: ${err instanceof Error ? err.message : String(err)}`, 1, {
          cause: err,
        });
      }
      const closed = new Promise<void>((resolve) => {
        session.once('close', () => {
          resolve();
        });
      });
      await Promise.race([done, closed]);
      if (session.state !== 'closed') await session.unbind();
    });
}
