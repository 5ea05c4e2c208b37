/**
 * NATS for one CLI invocation: which server (--nats-url, else $NATS_URL, else
 * the local default) and a connection that fails fast with a clear message
 * instead of the services' wait-forever reconnect policy.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { CliError } from './cli-error.ts';

/** The local development server every service defaults to as well. */
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/** How long a CLI command waits for NATS to answer before giving up. */
export const NATS_CONNECT_TIMEOUT_MS = 5_000;

/** The NATS URL(s) to use: the option, else NATS_URL, else DEFAULT_NATS_URL. */
export function natsUrlOf(option: string | undefined, env: NodeJS.ProcessEnv): string {
  if (option !== undefined && option !== '') return option;
  const fromEnv = env['NATS_URL'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_NATS_URL;
}

/** A NATS URL list fit for a message: passwords (and tokens) replaced by `***`. */
export function shownUrl(url: string): string {
  return url.replace(/\/\/([^/@,]*)@/g, (_all, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon === -1 ? '//***@' : `//${userinfo.slice(0, colon)}:***@`;
  });
}

/** Splits a comma-separated server list, as NATS_URL is written for the services. */
export function serversOf(url: string): string[] {
  return url
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Connects once, without retries; CliError "cannot reach NATS at …" when the server does not answer. */
export async function connectCliNats(
  url: string,
  name = 'smsgw-cli',
  timeoutMs = NATS_CONNECT_TIMEOUT_MS,
): Promise<NatsConnection> {
  try {
    return await connect({
      servers: serversOf(url),
      name,
      timeout: timeoutMs,
      maxReconnectAttempts: 0,
      reconnect: false,
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new CliError(
      `cannot reach NATS at ${shownUrl(url)}: ${reason} (start one with \`./run smsgw start\`, or pass --nats-url / set NATS_URL)`,
      1,
      { cause: err },
    );
  }
}

/** Runs `fn` with a connection and always closes it (drain is not needed: the CLI only does request/reply). */
export async function withNats<T>(url: string, fn: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connectCliNats(url);
  try {
    return await fn(nc);
  } finally {
    await nc.close();
  }
}
