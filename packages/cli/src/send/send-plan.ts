/**
 * From `smsgw send`'s parsed options to a SendPlan: defaults (port by TLS,
 * bind type and registered_delivery by --wait-dlr, TON/NPI by address shape),
 * the message read and encoded, and the combinations that make no sense
 * refused as usage errors.
 */
import { readFile } from 'node:fs/promises';
import type { ConnectionOptions } from 'node:tls';
import { RegisteredDelivery } from '@smsgw/smpp';
import { UsageError } from '../cli-error.ts';
import type { CliIo } from '../cli-io.ts';
import { readPassword } from '../password-input.ts';
import { addressOf } from './address.ts';
import type { LongMode } from './build-submits.ts';
import { encodeMessage, parseCoding, type MessageContent } from './coding.ts';
import { parseRegisteredDelivery } from './registered-delivery.ts';
import type { SendPlan } from './run-send.ts';

/** `smsgw send`'s options as commander parsed them. */
export interface SendOptions {
  host: string;
  port?: number;
  tls?: boolean;
  ca?: string;
  insecure?: boolean;
  systemId: string;
  password?: string;
  systemType: string;
  bind?: 'transmitter' | 'transceiver';
  from: string;
  fromTon?: number;
  fromNpi?: number;
  to: string;
  toTon?: number;
  toNpi?: number;
  file?: string;
  coding: string;
  priority: number;
  registeredDelivery?: string;
  userMessageReference?: number;
  messageClass?: string;
  flash?: boolean;
  long?: LongMode;
  /** true when given without a value. */
  waitDlr?: true | number;
  count: number;
  window: number;
  json?: boolean;
  responseTimeout: number;
  connectTimeout: number;
}

/** Default --wait-dlr timeout when given without a value. */
export const DEFAULT_DLR_WAIT_MS = 30_000;

async function readStdin(io: CliIo): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** The text argument, or --file's contents (`-` is stdin). A text file's one trailing newline is dropped. */
async function contentOf(text: string | undefined, opts: SendOptions, io: CliIo): Promise<MessageContent> {
  if (text !== undefined && opts.file !== undefined)
    throw new UsageError('give the message as an argument or with --file, not both');
  if (text !== undefined) return { text };
  if (opts.file === undefined)
    throw new UsageError('no message: give the text as an argument, or --file <path>');
  const bytes = opts.file === '-' ? await readStdin(io) : await readFile(opts.file);
  const asText = bytes.toString('utf8').replace(/\r?\n$/, '');
  return { text: asText, bytes };
}

async function tlsOf(opts: SendOptions): Promise<ConnectionOptions | undefined> {
  if (opts.tls !== true) {
    if (opts.ca !== undefined || opts.insecure === true)
      throw new UsageError('--ca and --insecure need --tls');
    return undefined;
  }
  return {
    minVersion: 'TLSv1.2',
    rejectUnauthorized: opts.insecure !== true,
    ...(opts.ca === undefined ? {} : { ca: await readFile(opts.ca, 'utf8') }),
  };
}

/** Builds the plan; UsageError for contradictory or missing options. */
export async function planOf(text: string | undefined, opts: SendOptions, io: CliIo): Promise<SendPlan> {
  const waitDlrMs =
    opts.waitDlr === undefined ? undefined : opts.waitDlr === true ? DEFAULT_DLR_WAIT_MS : opts.waitDlr;
  const bind = opts.bind ?? (waitDlrMs === undefined ? 'transmitter' : 'transceiver');
  if (waitDlrMs !== undefined && bind === 'transmitter') {
    throw new UsageError('--wait-dlr needs --bind transceiver: a transmitter receives no delivery receipts');
  }
  const registeredDelivery =
    opts.registeredDelivery === undefined
      ? waitDlrMs === undefined
        ? RegisteredDelivery.NO_RECEIPT
        : RegisteredDelivery.RECEIPT_ON_FINAL
      : parseRegisteredDelivery(opts.registeredDelivery);
  if (waitDlrMs !== undefined && (registeredDelivery & RegisteredDelivery.MC_RECEIPT_MASK) === 0) {
    throw new UsageError('--wait-dlr needs a receipt: drop --registered-delivery none');
  }
  if (opts.to === '') throw new UsageError('--to must not be empty');
  const coding = parseCoding(opts.coding);
  const message = encodeMessage(await contentOf(text, opts, io), coding, opts.flash === true);
  const tls = await tlsOf(opts);
  if (opts.file === '-' && opts.password === undefined) {
    throw new UsageError('--file - reads the message from stdin: give the password with --password');
  }
  const password = await readPassword(io, opts.password);
  return {
    host: opts.host,
    port: opts.port ?? (tls === undefined ? 2775 : 8775),
    ...(tls === undefined ? {} : { tls }),
    systemId: opts.systemId,
    password,
    systemType: opts.systemType,
    bind,
    spec: {
      source: addressOf(opts.from, opts.fromTon, opts.fromNpi),
      destination: addressOf(opts.to, opts.toTon, opts.toNpi),
      message,
      priority: opts.priority,
      registeredDelivery,
      ...(opts.long === undefined ? {} : { long: opts.long }),
      ...(opts.userMessageReference === undefined ? {} : { userMessageReference: opts.userMessageReference }),
      ...(opts.messageClass === undefined ? {} : { messageClass: opts.messageClass }),
      flash: opts.flash === true,
    },
    count: opts.count,
    window: opts.window,
    ...(waitDlrMs === undefined ? {} : { waitDlrMs }),
    responseTimeoutMs: opts.responseTimeout,
    connectTimeoutMs: opts.connectTimeout,
  };
}
