/** The NATS test fixture could not provide a server: nothing to run it with, or it failed to start. */
export class NatsFixtureError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NatsFixtureError';
  }
}

/** A condition a test waited for did not come true in time. */
export class WaitTimeoutError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WaitTimeoutError';
  }
}
