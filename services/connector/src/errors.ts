/** Base of the connector's own errors. */
export class ConnectorError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A routed message that can never be processed: not a RoutedMessage, or one
 * without the submit, message id or account every status event needs. It is
 * terminated, not retried.
 */
export class MalformedRoutedMessageError extends ConnectorError {}

/** A status event could not be stored (no PubAck): the routed message is retried later. */
export class StatusPublishError extends ConnectorError {}

/**
 * The network refused the message with a status that the connector's settings
 * mark as "try next": the route's next connector gets it, instead of a retry
 * here or a final REJECTD. Carries the upstream command_status.
 */
export class TryNextConnectorError extends ConnectorError {
  readonly commandStatus: number;
  constructor(message: string, commandStatus: number, options?: ErrorOptions) {
    super(message, options);
    this.commandStatus = commandStatus;
  }
}
