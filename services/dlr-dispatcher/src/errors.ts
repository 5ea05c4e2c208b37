/** Base of the dlr-dispatcher's own errors. */
export class DispatcherError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DispatcherError';
  }
}

/**
 * A status event that can never become a delivery report, however often it is
 * delivered: its bytes are not a StatusEvent, or it lacks what a report needs
 * (message id, message state). The dispatcher terminates it instead of retrying.
 */
export class PoisonStatusError extends DispatcherError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PoisonStatusError';
  }
}
