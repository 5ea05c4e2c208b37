/** Base of the router's own errors. */
export class RouterError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RouterError';
  }
}

/**
 * A submit that can never be routed, however often it is delivered: its bytes
 * are not a SubmitAccepted, or it lacks what routing needs (message id,
 * account, destination). The router terminates it instead of retrying.
 */
export class PoisonSubmitError extends RouterError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PoisonSubmitError';
  }
}
