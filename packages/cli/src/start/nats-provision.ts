/**
 * The NATS server `smsgw start` uses: the one at the URL (--nats-url, else
 * NATS_URL, else nats://127.0.0.1:4222) when it answers; else, if no URL was
 * configured, a nats-server with JetStream started on the default port with
 * its store in a temporary directory, stopped with everything else. A
 * configured URL that does not answer is an error: quietly using another
 * server would surprise.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { findNatsServerBinary } from '@smsgw/runtime';
import { CliError } from '../cli-error.ts';
import { connectCliNats, DEFAULT_NATS_URL } from '../nats-connection.ts';
import { startLocalNatsServer, type LocalNatsServer } from './local-nats-server.ts';

/** The server in use and a connection to it. */
export interface ProvidedNats {
  readonly url: string;
  readonly nc: NatsConnection;
  /** The server we started, to stop at the end; undefined when it was already running. */
  readonly spawned?: LocalNatsServer;
}

/** How long to wait for an existing server before deciding there is none. */
const PROBE_TIMEOUT_MS = 2_000;

/** Connects to the configured server, or starts one when none is configured and the default does not answer. */
export async function provideNats(
  configured: string | undefined,
  note: (line: string) => void,
): Promise<ProvidedNats> {
  const url = configured ?? DEFAULT_NATS_URL;
  try {
    return { url, nc: await connectCliNats(url, 'smsgw-start', PROBE_TIMEOUT_MS) };
  } catch (err) {
    if (configured !== undefined) throw err;
  }
  const binary = findNatsServerBinary();
  if (binary === undefined) {
    throw new CliError(
      `no NATS server answers at ${url}, and no nats-server binary was found to start one ($NATS_SERVER_BIN, PATH, /usr/sbin): ` +
        'install nats-server (e.g. `apt-get install nats-server`, `brew install nats-server`) or run one with JetStream ' +
        '(`docker run -p 4222:4222 nats:2.10-alpine -js`), then run `smsgw start` again',
    );
  }
  const { hostname, port } = new URL(url);
  note(`no NATS server at ${url}: starting ${binary} with JetStream (store in a temporary directory)`);
  const { server, nc } = await startLocalNatsServer(binary, hostname, Number(port));
  return { url: server.url, nc, spawned: server };
}
