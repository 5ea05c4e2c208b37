/** Which way the fixture runs the server. */
export type NatsBackend = 'binary' | 'container';

/** Options for connect() from @nats-io/transport-node that reach the fixture's server. */
export interface NatsConnectOptions {
  servers: string;
  user?: string;
  pass?: string;
}

/** A NATS server with JetStream that belongs to one test file. */
export interface NatsServerHandle {
  /** `nats://host:port`. The container backend also needs `connectOptions` (user and password). */
  readonly url: string;
  /** The client port on the host; kept across restart(). */
  readonly port: number;
  /** Spread into connect(): the server plus credentials when the backend needs them. */
  readonly connectOptions: NatsConnectOptions;
  /** How the server runs. */
  readonly backend: NatsBackend;
  /** The server process id (binary backend, while it runs). */
  readonly pid: number | undefined;
  /** The JetStream store directory on the host (binary backend); removed by stop(). */
  readonly storeDir: string | undefined;
  /** Stops the server gracefully and removes it with its data. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILLs the server (a crash, for chaos tests); its store stays, so restart() can bring it back. */
  kill(): Promise<void>;
  /** Starts the server again on the same port with the same store (stopping it gracefully first if it runs). */
  restart(): Promise<void>;
}
