/** The NATS test fixture could not provide a server: nothing to run it with, or it failed to start. */
export class NatsFixtureError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NatsFixtureError';
  }
}
