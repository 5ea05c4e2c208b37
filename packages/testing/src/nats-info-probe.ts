import { connect } from 'node:net';

/** What a NATS server announces in the INFO line it sends on every new connection. */
export interface NatsServerInfo {
  readonly version: string;
  readonly jetstream: boolean;
}

/**
 * Connects to host:port and reads the server's INFO line. Resolves undefined
 * when nothing (or no NATS server) answers within `timeoutMs`: the caller
 * polls. A server sends INFO only once its client listener runs, and
 * nats-server enables JetStream (and recovers its store) before that.
 */
export function probeNatsInfo(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<NatsServerInfo | undefined> {
  return new Promise((resolve) => {
    let buffered = '';
    const socket = connect({ host, port });
    const finish = (info: NatsServerInfo | undefined): void => {
      socket.destroy();
      resolve(info);
    };
    socket.setTimeout(timeoutMs, () => {
      finish(undefined);
    });
    // Refused or reset: not up yet; the caller tries again.
    socket.on('error', () => {
      finish(undefined);
    });
    socket.on('close', () => {
      finish(undefined);
    });
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const end = buffered.indexOf('\r\n');
      if (end === -1) {
        if (buffered.length > 65_536) finish(undefined);
        return;
      }
      finish(parseInfoLine(buffered.slice(0, end)));
    });
  });
}

/** Parses `INFO {json}`; undefined for anything else. */
export function parseInfoLine(line: string): NatsServerInfo | undefined {
  if (!line.startsWith('INFO ')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.slice(5));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { version, jetstream } = parsed as { version?: unknown; jetstream?: unknown };
  return { version: typeof version === 'string' ? version : '', jetstream: jetstream === true };
}
